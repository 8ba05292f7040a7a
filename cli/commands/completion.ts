import { Argument, type Command } from 'commander';
import { COMPLETE_COMMAND, COMPLETION_SHELLS, type Shell } from '../completion-words.js';

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print the shell completion script for bash or zsh (commands, flags, node names)')
    .addArgument(new Argument('<shell>', 'the shell to complete in').choices(COMPLETION_SHELLS))
    .addHelpText(
      'after',
      `
Load it from your shell's start-up file:
  bash (~/.bashrc):  source <(rmq-compose completion bash)
  zsh  (~/.zshrc, after compinit):  source <(rmq-compose completion zsh)
At every Tab the script asks \`rmq-compose ${COMPLETE_COMMAND}\`: it offers this version's
commands and flags, and the node names of the cluster in -d (or the only one under ./compose/).`,
    )
    .action(async (shell: Shell) => {
      const { completionScript } = await import('../completion.js');
      process.stdout.write(completionScript(shell));
    });
}
