export interface ParsedCommand {
  action: string;
  /** Configured cluster name; undefined when none was named and there is no default. */
  cluster: string | undefined;
  argv: string[];
}

/**
 * Slack escapes &, < and > in command text and may wrap things it recognises (links, channels)
 * as <…|label>. Undo that so `^ha\.` or `a&b` reach the action parser as typed.
 */
export function unescapeSlackText(text: string): string {
  return text
    .replace(/<([^<>|]*)\|([^<>]*)>/g, '$2')
    .replace(/<((?:https?|mailto):[^<>]*)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Whitespace-separated words; "double" or 'single' quotes keep spaces. No shell meaning at all. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

/**
 * `/rmq <action> [cluster] [args…]`. The cluster word is optional: when the second word is one of
 * `clusters` it is taken as the cluster, otherwise the default cluster is used. `clusters` are the
 * names this person may use (known-clusters.ts): to them any other name is an argument like any
 * word, so an unknown name and one they may not read are answered alike. Returns undefined for
 * an empty command (the caller shows help). Never names the configured clusters.
 */
export function parseCommandText(text: string, clusters: readonly string[], defaultCluster: string | undefined): ParsedCommand | undefined {
  const [action, ...rest] = splitWords(unescapeSlackText(text).trim());
  if (!action) return undefined;
  if (rest[0] !== undefined && clusters.includes(rest[0])) {
    return { action: action.toLowerCase(), cluster: rest[0], argv: rest.slice(1) };
  }
  return { action: action.toLowerCase(), cluster: defaultCluster, argv: rest };
}
