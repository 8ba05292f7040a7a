const MASK = '***';

/** Blanks every secret value out of a text; short values are skipped so "a" does not eat the log. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    out = out.split(secret).join(MASK);
  }
  return out;
}

/** Human-readable command line for logs and errors (quoted where needed, secrets masked). */
export function formatCommand(file: string, args: readonly string[], secrets: readonly string[] = []): string {
  const quote = (part: string) => (/^[\w@%+=:,./-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`);
  return redact([file, ...args].map(quote).join(' '), secrets);
}
