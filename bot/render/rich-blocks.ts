import type { types } from '@slack/bolt';
import type { ActionResult } from '../../ops/actions/action.js';
import { statusBlocks } from './status-blocks.js';

type KnownBlock = types.KnownBlock;

/**
 * Richer Block Kit for actions whose `data` has a known shape; undefined means "show the text"
 * (also when the data does not match, so a renderer can never hide a result).
 */
export function richBlocksFor(action: string, result: ActionResult): KnownBlock[] | undefined {
  if (action === 'status') return statusBlocks(result.data);
  return undefined;
}
