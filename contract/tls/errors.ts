import { UserError } from '../../lib/errors.js';

/**
 * A certificate, key or CA that cannot be used as given (unreadable PEM, a key that does not
 * belong to its certificate, an unsupported key type). The message says what and why in plain
 * words; it never quotes key material, and no underlying error is attached as its cause, since a
 * parser's message could quote what it was reading.
 */
export class TlsError extends UserError {}

/** Parameters for a certificate that break a rule; one line per problem, each naming its field. */
export class TlsInputError extends TlsError {
  readonly problems: readonly string[];
  /** The fields named in `problems`, e.g. `dnsNames[1]`, `validDays`. */
  readonly fields: readonly string[];

  constructor(what: string, problems: ReadonlyArray<{ field: string; message: string }>) {
    const lines = problems.map((p) => `${p.field}: ${p.message}`);
    super(`${what}: ${lines.length === 1 ? lines[0] : `${lines.length} problems:\n${lines.map((l) => `  - ${l}`).join('\n')}`}`, { exitCode: 2 });
    this.problems = lines;
    this.fields = problems.map((p) => p.field);
  }
}
