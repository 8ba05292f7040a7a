import type { Finding } from '../lib/findings.js';
import { formatFinding } from '../lib/findings.js';

export function printWarnings(warnings: Finding[]): void {
  for (const warning of warnings) process.stderr.write(`warning: ${formatFinding(warning)}\n`);
}

export function info(line: string): void {
  process.stdout.write(`${line}\n`);
}
