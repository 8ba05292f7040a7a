/**
 * The JSON document in a CLI tool's stdout. `--quiet` should leave only JSON, but some versions
 * still print a banner line first, so we start at the first line that opens an object or array.
 */
export function extractJson(stdout: string): unknown {
  const text = stdout.trim();
  try {
    return JSON.parse(text);
  } catch {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => /^\s*[[{]/.test(l));
    if (start < 0) throw new SyntaxError(`no JSON in the output: ${text.slice(0, 200)}`);
    return JSON.parse(lines.slice(start).join('\n'));
  }
}

/** Erlang node of a pid as the CLI prints it, "<rabbit@rabbit2.1677.0>" → "rabbit@rabbit2". */
export function nodeOfPid(pid: string): string {
  const match = /^<?([^<>]+?)(?:\.\d+){2,3}>?$/.exec(pid.trim());
  return match ? match[1]! : pid;
}
