import type { Command } from 'commander';

/** Operations commands (status, deploy, join, …); filled in by the operations core work. */
export function registerOpsCommands(_program: Command): void {}
