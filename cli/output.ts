import type { Finding } from '../generator/spec/findings.js';
import { formatFinding } from '../generator/spec/findings.js';

export function printWarnings(warnings: Finding[]): void {
  for (const warning of warnings) process.stderr.write(`warning: ${formatFinding(warning)}\n`);
}

export function info(line: string): void {
  process.stdout.write(`${line}\n`);
}
