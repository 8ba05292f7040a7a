import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { inspect } from 'node:util';
import { parseDocument } from 'yaml';
import { MANIFEST_FILE } from '../contract/cluster-files.js';
import { parseManifest } from '../contract/manifest.js';
import { CONTROL_CHARACTER } from '../contract/names.js';
import type { Finding } from '../lib/findings.js';
import { closest, dotPath, isConsequence, parseLeniently, shown, type IssueHints } from '../lib/zod-issues.js';
import { UserError } from '../lib/errors.js';
import type { CatalogEntry } from '../ops/index.js';
import { BotConfigFile, botConfigRules } from './config-schema.js';

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
  get botToken(): string {
    return this.#values.botToken;
  }
  get appToken(): string | undefined {
    return this.#values.appToken;
  }
  get signingSecret(): string | undefined {
    return this.#values.signingSecret;
  }
  /** Every secret value, for redaction of outgoing text. */
  all(): string[] {
    return [this.#values.botToken, this.#values.appToken, this.#values.signingSecret].filter((v): v is string => !!v);
  }
  toJSON(): string {
    return '***';
  }
  toString(): string {
    return '***';
  }
  [inspect.custom](): string {
    return 'SlackSecrets(***)';
  }
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
  token: 'SLACK_BOT_TOKEN',
  botToken: 'SLACK_BOT_TOKEN',
  bot_token: 'SLACK_BOT_TOKEN',
  appToken: 'SLACK_APP_TOKEN',
  app_token: 'SLACK_APP_TOKEN',
  signingSecret: 'SLACK_SIGNING_SECRET',
  signing_secret: 'SLACK_SIGNING_SECRET',
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
    problems.push(
      "env SLACK_SIGNING_SECRET: is not a Slack signing secret (those are 32 hexadecimal characters); copy it again from the app's Basic Information → App Credentials → Signing Secret (or unset it in Socket Mode, which does not use it)",
    );
  } else if (mode === 'http' && !signingSecret) problems.push('env SLACK_SIGNING_SECRET: is required in http mode (Basic Information → Signing Secret)');
  return new SlackSecrets({ botToken: botToken ?? '', appToken, signingSecret });
}

/** Where bot configuration messages send people: its own schema, not the cluster spec's. */
export const BOT_HINTS: IssueHints = { required: 'rmq-compose bot schema lists every key', schemaCommand: 'rmq-compose bot schema' };

export type ActionTable = readonly Pick<CatalogEntry, 'name' | 'mutating'>[];

/** What else the configuration is checked against, in the same round as its own rules. */
export interface ConfigChecks {
  /** The action table: per-action rules must name an action, and "*" may not run a mutating one. */
  actions?: ActionTable;
}

/**
 * Required values the rules may run without, when the one written is refused or missing: what the
 * rules then say at (or about) these paths is dropped like any other consequence.
 */
const STAND_INS: Readonly<Record<string, unknown>> = {
  clusters: {},
  resultsChannel: 'C0STANDIN',
  authorization: {},
  'watch.clusters.*.channel': 'C0STANDIN',
  // a display name among user IDs is a common slip: the other rules still run
  ...Object.fromEntries(
    ['authorization.*', 'authorization.actions.*'].flatMap((rule) => [
      [`${rule}.users[*]`, 'U0STANDIN'],
      [`${rule}.groups[*]`, 'S0STANDIN'],
      [`${rule}.channels[*]`, 'C0STANDIN'],
    ]),
  ),
};

const line = (f: Finding) => `${f.path || '(top)'}: ${f.message}`;

interface Collected {
  /** Problems with the file's contents, each starting with its path. */
  problems: string[];
  /** Problems with the environment (the Slack secrets). */
  envProblems: string[];
  /** The file as written, when it is valid. */
  file: BotConfigFile | undefined;
  /** The file with its refused values taken out, for checks that need a parsed value (cluster folders). */
  repaired: BotConfigFile | undefined;
  degraded: string[];
  secrets: SlackSecrets;
}

/**
 * Every problem in one round: refused keys and values (zod, leniently: the cross-field rules and
 * the action table still run on what is valid), then the environment. A rule's finding at, inside
 * or above a refused path is dropped, as for the cluster spec.
 */
function collect(raw: unknown, env: Env, checks: ConfigChecks): Collected {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {
      problems: ['the configuration must be a mapping (clusters:, resultsChannel:, authorization: …)'],
      envProblems: [],
      file: undefined,
      repaired: undefined,
      degraded: [''],
      secrets: new SlackSecrets({ botToken: '', appToken: undefined, signingSecret: undefined }),
    };
  }
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    const variable = TOKEN_KEYS[key];
    if (variable) problems.push(`${key}: secrets are not read from the file; set the environment variable ${variable} and remove this key`);
  }
  const rest = Object.fromEntries(Object.entries(raw).filter(([k]) => !(k in TOKEN_KEYS)));
  const structure = parseLeniently(BotConfigFile, rest, { hints: BOT_HINTS, standIns: STAND_INS });
  problems.push(...structure.findings.map(line));
  const repaired = structure.repaired;
  if (repaired) {
    const rules: Finding[] = botConfigRules(repaired).map((p) => ({ path: dotPath(p.path), message: p.message }));
    if (checks.actions) rules.push(...actionProblems(repaired.authorization, checks.actions));
    problems.push(...rules.filter((f) => !isConsequence(f, structure.degraded)).map(line));
  }
  const mode = repaired?.mode ?? (rest.mode === 'http' ? 'http' : 'socket');
  const envProblems: string[] = [];
  const secrets = secretsFromEnv(mode, env, envProblems);
  const file = structure.findings.length === 0 ? repaired : undefined;
  return { problems, envProblems, file, repaired, degraded: structure.degraded, secrets };
}

function toConfig(file: BotConfigFile, source: string, secrets: SlackSecrets): BotConfig {
  const base = dirname(resolve(source));
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

/** Validate already-parsed data; pure apart from `env`, so tests need no files. Throws BotConfigError listing every problem. */
export function parseBotConfig(raw: unknown, source: string, env: Env = process.env, checks: ConfigChecks = {}): BotConfig {
  const c = collect(raw, env, checks);
  const problems = [...c.problems, ...c.envProblems];
  if (!c.file || problems.length > 0) throw new BotConfigError(source, problems);
  return toConfig(c.file, source, c.secrets);
}

/**
 * Read and validate a YAML or JSON file (JSON is YAML), and check that every configured cluster
 * folder holds a cluster the bot can read (`folders: false` skips that). Throws BotConfigError
 * listing every problem, those of the folders and the environment included.
 */
export async function loadBotConfig(path: string, env: Env = process.env, checks: ConfigChecks & { folders?: boolean } = {}): Promise<BotConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new BotConfigError(path, [`cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0)
    throw new BotConfigError(
      path,
      doc.errors.map((e) => `YAML: ${e.message.split('\n')[0]}`),
    );
  const c = collect(doc.toJS(), env, checks);
  const folders: string[] = [];
  if (c.repaired && checks.folders !== false) {
    const base = dirname(resolve(path));
    const usable = Object.entries(c.repaired.clusters).filter(([name]) => !c.degraded.includes(dotPath(['clusters', name])));
    folders.push(
      ...(await Promise.all(usable.map(([name, dir]) => clusterFolderProblem(name, dir, resolve(base, dir))))).filter((p): p is string => p !== undefined),
    );
  }
  const problems = [...c.problems, ...folders, ...c.envProblems];
  if (!c.file || problems.length > 0) throw new BotConfigError(path, problems);
  return toConfig(c.file, path, c.secrets);
}

/** A folder as the configuration wrote it, shown safely (it is printed to a terminal and to logs). */
const written = (text: string) => (CONTROL_CHARACTER.test(text) ? shown(text) : text);

/**
 * Whether `dir` holds a generated cluster the bot can act on: a readable manifest this version
 * understands, the file ops loads a cluster from (contract/manifest.ts). Undefined when it does.
 */
export async function clusterFolderProblem(name: string, configured: string, dir: string): Promise<string | undefined> {
  const where = dotPath(['clusters', name]);
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      const place = configured === dir ? 'there' : `in ${written(dir)}`;
      return `${where}: ${written(configured)} has no rmq-compose cluster (no ${MANIFEST_FILE} ${place}); run rmq-compose gen first or fix the path`;
    }
    return `${where}: cannot read ${written(file)} (${code ?? 'error'}); the bot must be able to read the cluster folder`;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return `${where}: ${written(file)} is not valid JSON; regenerate it with rmq-compose gen`;
  }
  const parsed = parseManifest(raw);
  if (!parsed.ok)
    return `${where}: ${written(file)} is not a manifest this version of rmq-compose understands (${parsed.problems[0] ?? 'unreadable'}); regenerate it with rmq-compose gen`;
  return undefined;
}

/**
 * The bot's own words beside the cluster actions: help, and the watcher's `ack` (silence an alert
 * until it recovers; the mutating rule unless authorization.actions.ack says otherwise) and
 * `alerts` (list open ones; the readOnly rule).
 */
export const BOT_ACTIONS = ['help', 'ack', 'alerts'];

/** Rules that need the action table: unknown action names, and "*" on a mutating action. */
function actionProblems(authorization: BotConfigFile['authorization'], actions: ActionTable): Finding[] {
  const problems: Finding[] = [];
  const byName = new Map(actions.map((a) => [a.name, a]));
  for (const [name, rule] of Object.entries(authorization.actions)) {
    const action = byName.get(name);
    const path = dotPath(['authorization', 'actions', name]);
    if (!action && !BOT_ACTIONS.includes(name)) {
      const known = [...BOT_ACTIONS, ...byName.keys()];
      const meant = closest(name, known);
      problems.push({ path, message: `no such action${meant ? `; did you mean "${meant}"?` : ''} (known: ${known.join(', ')})` });
    }
    if (action?.mutating && rule.users.includes('*')) problems.push({ path: `${path}.users`, message: '"*" (anyone) is not allowed for a mutating action' });
  }
  return problems;
}

/** The action-table rules alone, for a configuration already parsed (buildBotApp, with the table it runs). */
export function checkConfigAgainstActions(config: BotConfig, actions: ActionTable): void {
  const problems = actionProblems(config.authorization, actions);
  if (problems.length > 0) throw new BotConfigError(config.source, problems.map(line));
}
