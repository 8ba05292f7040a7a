import type { types } from '@slack/bolt';
import type { ActionResult } from '../../ops/actions/action.js';

type KnownBlock = types.KnownBlock;

/**
 * Richer Block Kit for actions whose `data` has a known shape; undefined means "show the text".
 * Filled in per action as their data types settle (status first).
 */
export function richBlocksFor(_action: string, _result: ActionResult): KnownBlock[] | undefined {
  return undefined;
}
