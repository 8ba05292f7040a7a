import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { inspect } from 'node:util';
import { parseDocument } from 'yaml';
import { zodIssuesToFindings } from '../lib/zod-issues.js';
import { UserError } from '../lib/errors.js';
import type { CatalogEntry } from '../ops/index.js';
import { BotConfigFile } from './config-schema.js';

/** The configuration could not be used; one line per problem, each starting with where it is. */
export class BotConfigError extends UserError {
  readonly problems: readonly string[];
  constructor(source: string, problems: readonly string[]) {
    super(`${source}: ${problems.length} problem(s) in the bot configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, { exitCode: 2 });
    this.problems = problems;
  }
}

/**
 * Slack credentials. Kept in a class whose every printable form is masked, so a stray
 * `console.log(config)` or JSON.stringify can never leak a token.
 */
export class SlackSecrets {
  readonly #values: { botToken: string; appToken: string | undefined; signingSecret: string | undefined };
  constructor(values: { botToken: string; appToken: string | undefined; signingSecret: string | undefined }) {
    this.#values = values;
  }
  get botToken(): string { return this.#values.botToken; }
  get appToken(): string | undefined { return this.#values.appToken; }
  get signingSecret(): string | undefined { return this.#values.signingSecret; }
  /** Every secret value, for redaction of outgoing text. */
  all(): string[] {
    return [this.#values.botToken, this.#values.appToken, this.#values.signingSecret].filter((v): v is string => !!v);
  }
  toJSON(): string { return '***'; }
  toString(): string { return '***'; }
  [inspect.custom](): string { return 'SlackSecrets(***)'; }
}

export type BotConfig = Omit<BotConfigFile, 'auditLog'> & {
  /** Absolute cluster folders. */
  clusters: Record<string, string>;
  auditLog: string;
  source: string;
  secrets: SlackSecrets;
};

type Env = Record<string, string | undefined>;

/** Keys people paste into the file by habit; name the environment variable instead of "unknown key". */
const TOKEN_KEYS: Record<string, string> = {
  token: 'SLACK_BOT_TOKEN', botToken: 'SLACK_BOT_TOKEN', bot_token: 'SLACK_BOT_TOKEN',
  appToken: 'SLACK_APP_TOKEN', app_token: 'SLACK_APP_TOKEN',
  signingSecret: 'SLACK_SIGNING_SECRET', signing_secret: 'SLACK_SIGNING_SECRET',
};

/** Slack's signing secrets: 32 hex digits (what Basic Information → App Credentials shows). */
const SIGNING_SECRET = /^[0-9a-f]{32}$/i;

function secretsFromEnv(mode: 'socket' | 'http', env: Env, problems: string[]): SlackSecrets {
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  const appToken = env.SLACK_APP_TOKEN?.trim() || undefined;
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() || undefined;
  // Only the prefix is ever described: the value itself must not reach an error message.
  if (!botToken) problems.push('env SLACK_BOT_TOKEN: is required (the Bot User OAuth Token, xoxb-…)');
  else if (!botToken.startsWith('xoxb-')) problems.push('env SLACK_BOT_TOKEN: must be a bot token starting with xoxb-');
  if (mode === 'socket') {
    if (!appToken) problems.push('env SLACK_APP_TOKEN: is required in Socket Mode (an app-level token xapp-… with connections:write)');
    else if (!appToken.startsWith('xapp-')) problems.push('env SLACK_APP_TOKEN: must be an app-level token starting with xapp-');
  }
  // Checked in either mode: a value that cannot be Slack's is a mistake (a placeholder, a token
  // pasted into the wrong variable), and every secret is masked in output, so a short one would
  // mask its letters in every message. Never echoed, not even its length.
  if (signingSecret !== undefined && !SIGNING_SECRET.test(signingSecret)) {
    problems.push("env SLACK_SIGNING_SECRET: is not a Slack signing secret (those are 32 hexadecimal characters); copy it again from the app's Basic Information → App Credentials → Signing Secret (or unset it in Socket Mode, which does not use it)");
  } else if (mode === 'http' && !signingSecret) problems.push('env SLACK_SIGNING_SECRET: is required in http mode (Basic Information → Signing Secret)');
  return new SlackSecrets({ botToken: botToken ?? '', appToken, signingSecret });
}

/** Validate already-parsed data; pure apart from `env`, so tests need no files. */
export function parseBotConfig(raw: unknown, source: string, env: Env = process.env): BotConfig {
  const problems: string[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new BotConfigError(source, ['the configuration must be a mapping (clusters:, resultsChannel:, authorization: …)']);
  for (const key of Object.keys(raw)) {
    const variable = TOKEN_KEYS[key];
    if (variable) problems.push(`${key}: secrets are not read from the file; set the environment variable ${variable} and remove this key`);
  }
  const rest = Object.fromEntries(Object.entries(raw).filter(([k]) => !(k in TOKEN_KEYS)));
  const parsed = BotConfigFile.safeParse(rest);
  if (!parsed.success) problems.push(...zodIssuesToFindings(parsed.error.issues, rest).map((f) => `${f.path || '(top)'}: ${f.message}`));
  const mode = parsed.success ? parsed.data.mode : rest.mode === 'http' ? 'http' : 'socket';
  const secrets = secretsFromEnv(mode, env, problems);
  if (!parsed.success || problems.length > 0) throw new BotConfigError(source, problems);

  const base = dirname(resolve(source));
  const file = parsed.data;
  const clusters = Object.fromEntries(Object.entries(file.clusters).map(([name, dir]) => [name, resolve(base, dir)]));
  const names = Object.keys(clusters);
  return {
    ...file,
    defaultCluster: file.defaultCluster ?? (names.length === 1 ? names[0] : undefined),
    clusters,
    auditLog: resolve(base, file.auditLog ?? 'rmq-bot-audit.jsonl'),
    source,
    secrets,
  };
}

/** Read and validate a YAML or JSON file (JSON is YAML); throws BotConfigError listing every problem. */
export async function loadBotConfig(path: string, env: Env = process.env): Promise<BotConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new BotConfigError(path, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) throw new BotConfigError(path, doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`));
  return parseBotConfig(doc.toJS(), path, env);
}

/**
 * The bot's own words beside the cluster actions: help, and the watcher's `ack` (silence an alert
 * until it recovers; the mutating rule unless authorization.actions.ack says otherwise) and
 * `alerts` (list open ones; the readOnly rule).
 */
export const BOT_ACTIONS = ['help', 'ack', 'alerts'];

/** Rules that need the action table: unknown action names, and "*" on a mutating action. */
export function checkConfigAgainstActions(config: BotConfig, actions: readonly Pick<CatalogEntry, 'name' | 'mutating'>[]): void {
  const problems: string[] = [];
  const byName = new Map(actions.map((a) => [a.name, a]));
  for (const [name, rule] of Object.entries(config.authorization.actions)) {
    const action = byName.get(name);
    if (!action && !BOT_ACTIONS.includes(name)) problems.push(`authorization.actions.${name}: no such action (known: ${BOT_ACTIONS.join(', ')}, ${[...byName.keys()].join(', ')})`);
    if (action?.mutating && rule.users.includes('*')) problems.push(`authorization.actions.${name}.users: "*" (anyone) is not allowed for a mutating action`);
  }
  if (problems.length > 0) throw new BotConfigError(config.source, problems);
}
