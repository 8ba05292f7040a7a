import { createTwoFilesPatch } from 'diff';
import type { FileChange } from './disk-state.js';

/** Unified diff of everything `gen` would change: what `gen --check` prints for CI. */
export function describeDrift(changes: FileChange[]): string {
  return changes
    .filter((c) => c.kind !== 'unchanged')
    .map((c) => {
      if (c.kind === 'mode') return `mode of ${c.file.path} should be ${c.file.mode.toString(8)}\n`;
      return createTwoFilesPatch(`a/${c.file.path}`, `b/${c.file.path}`, c.current ?? '', c.file.contents, c.kind === 'create' ? '(missing)' : '(on disk)', '(from spec)');
    })
    .join('\n');
}
