import type { types } from '@slack/bolt';
import type { ActionDataMap, ActionResult } from '../../ops/index.js';
import { flowChartOfStatus } from './flow-chart.js';
import type { OutgoingFile } from './result-blocks.js';
import { statusBlocks } from './status-blocks.js';

type KnownBlock = types.KnownBlock;

/**
 * Block Kit renderers for actions whose result data deserves more than the text, keyed by the
 * catalog's action names and typed by each action's result data (the same type `--json` prints).
 * An action without one is shown as its text.
 */
const RICH_RENDERERS: { [K in keyof ActionDataMap]?: (data: ActionDataMap[K]) => KnownBlock[] } = {
  status: statusBlocks,
};

export function richBlocksFor(action: string, result: ActionResult): KnownBlock[] | undefined {
  if (!(action in RICH_RENDERERS)) return undefined;
  const render = RICH_RENDERERS[action as keyof ActionDataMap] as ((data: unknown) => KnownBlock[]) | undefined;
  // the pipeline ran the action of this name, so its data has that action's type
  return render?.(result.data);
}

/** A file for results that come with a picture: `status`'s chart of the last hour. */
export async function fileFor(action: string, result: ActionResult): Promise<OutgoingFile | undefined> {
  // the pipeline ran the action of this name, so its data has that action's type
  return action === 'status' ? flowChartOfStatus(result.data as ActionDataMap['status']) : undefined;
}
