/** One problem in a spec: where (dot path), what is wrong, and how to fix it. */
export interface Finding {
  path: string;
  message: string;
}

export class Findings {
  readonly errors: Finding[] = [];
  readonly warnings: Finding[] = [];

  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }
}

export function formatFinding(finding: Finding): string {
  return finding.path ? `${finding.path}: ${finding.message}` : finding.message;
}
