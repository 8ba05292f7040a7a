import { shown } from '../../lib/zod-issues.js';

/**
 * A container memory size as Docker reads it (`mem_limit: 2g`): a whole number of mebibytes or
 * gibibytes. Docker's `m` and `g` are powers of 1024; `mb`/`gb`/`mib`/`gib` are read the same way
 * so that no spelling means a different amount here than in `docker run -m`.
 */
export const MEMORY_SIZE = /^([1-9]\d{0,6})\s*(m|g|mb|gb|mib|gib)$/i;

/** RabbitMQ starts and serves a few queues below this; less is a typo (512 instead of 512m). */
export const MIN_NODE_MEMORY_BYTES = 256 * 1024 ** 2;

export function notAMemorySize(value: unknown): string {
  return `${shown(value)} is not a memory size; write mebibytes or gibibytes: 1536m, 2g (at least 256m)`;
}

/** Bytes of a MEMORY_SIZE text; NaN for anything else. */
export function memoryBytes(text: string): number {
  const match = MEMORY_SIZE.exec(text.trim());
  if (!match) return NaN;
  const unit = match[2]!.toLowerCase().startsWith('g') ? 1024 ** 3 : 1024 ** 2;
  return Number(match[1]) * unit;
}

/** `2g` for whole gibibytes, else `1536m`: the form compose files and READMEs show. */
export function formatMemory(bytes: number): string {
  return bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3}g` : `${Math.round(bytes / 1024 ** 2)}m`;
}
