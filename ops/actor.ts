/** Who runs an action, and from where: recorded in the lock and every audit line. */
export interface Actor {
  via: 'slack' | 'cli' | 'watcher';
  /** Slack user ID or the local user name. */
  id: string;
  name?: string;
  /** Slack channel the command came from. */
  channel?: string;
}
