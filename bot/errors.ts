import { randomBytes } from 'node:crypto';
import type { Logger } from '@slack/bolt';
import { isUserError } from '../lib/errors.js';

export interface UserFacing {
  /** What the person in Slack sees. */
  message: string;
  /** Set for unexpected errors: the id to find the details in the bot's log. */
  errorId?: string;
}

/**
 * Two kinds of error: a UserError is shown as written; anything else is logged in full (with
 * secrets masked) and the user gets a short line with an id to grep for.
 */
export function toUserFacing(error: unknown, logger: Logger, redact: (s: string) => string, context: string): UserFacing {
  if (isUserError(error)) return { message: redact(error.message) };
  const errorId = randomBytes(4).toString('hex');
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  logger.error(`[error ${errorId}] ${context}: ${redact(detail)}`);
  return { message: `Something went wrong (error id ${errorId}); the bot's log has the details.`, errorId };
}
