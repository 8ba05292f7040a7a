/** The hidden callback the completion scripts run at each Tab (main.ts answers it before commander parses). */
export const COMPLETE_COMMAND = '__complete';
export const COMPLETION_SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof COMPLETION_SHELLS)[number];
