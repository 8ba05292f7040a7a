// assigned once, by SlackText's static block below: module-private, so outside this file SlackText comes only from md()
let trusted: (markup: string) => SlackText;

/**
 * The one place text becomes Slack text. Slack reads `&`, `<` and `>` as markup in every `text`
 * it is given (the fallback and mrkdwn alike): `<!channel>` notifies a channel, `<https://…|x>`
 * is a link that says "x". So a value from anyone else (a queue or node name from the broker, a
 * spec, an argument someone typed, an error's message) must reach Slack with those characters
 * escaped, and only the bot's own literal markup may stay markup.
 *
 * `md` draws that line: the literal parts of its template are the bot's own words (trusted),
 * every `${value}` is escaped unless it is already SlackText. Message builders take SlackText,
 * not strings, so the compiler refuses a raw string where Slack text is expected.
 */
export class SlackText {
  static {
    trusted = (markup) => new SlackText(markup);
  }

  readonly #markup: string;

  private constructor(markup: string) {
    this.#markup = markup;
  }

  /** What goes into a `text` field. */
  get markup(): string {
    return this.#markup;
  }
}

export type SlackValue = SlackText | string | number;

/** Slack's three reserved characters (docs.slack.dev, "Escaping text"). Nothing else is encoded. */
export function escapeValue(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function piece(v: SlackValue): string {
  return v instanceof SlackText ? v.markup : escapeValue(String(v));
}

/** Tagged template: md`*${cluster}* is down` → the cluster name escaped, the asterisks kept. */
export function md(literals: TemplateStringsArray, ...values: readonly SlackValue[]): SlackText {
  let out = literals[0] ?? '';
  values.forEach((v, i) => (out += piece(v) + (literals[i + 1] ?? '')));
  return trusted(out);
}

/** Values (escaped) or SlackText, joined by a literal separator. */
export function joinMd(parts: readonly SlackValue[], separator: string): SlackText {
  return trusted(parts.map(piece).join(separator));
}

/** A user mention; an id that is not one (it never should be) is shown as escaped text instead. */
export function mention(userId: string): SlackText {
  return /^[UW][A-Z0-9]+$/.test(userId) ? trusted(`<@${userId}>`) : md`${userId}`;
}

/**
 * At most `max` characters, ending in "…" when cut. The cut never splits an escape (`&am…`) or
 * leaves a `<…` opened by the bot's markup unclosed (Slack would swallow the rest as a link).
 */
export function shortenMd(text: SlackText, max: number): SlackText {
  const s = text.markup;
  if (s.length <= max) return text;
  let cut = s.slice(0, max - 1);
  cut = cut.replace(/&[a-z]*$/, '');
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  return trusted(`${cut}…`);
}

/** A Block Kit mrkdwn text object. */
export function mrkdwn(text: SlackText): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: text.markup };
}
