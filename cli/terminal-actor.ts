import { userInfo } from 'node:os';
import type { Actor } from '../ops/index.js';

/** The person at the terminal, as audit lines and lock holders name them: the operating-system user. */
export function terminalActor(): Actor {
  return { via: 'cli', id: userName() };
}

function userName(): string {
  try {
    return userInfo().username;
  } catch {
    // no passwd entry for the uid (a container run with --user): the environment's word for it
    return process.env.USER ?? 'unknown';
  }
}
