import { z } from 'zod';
import { WatchConfig, watchedClusterRules } from './watch/watch-config-schema.js';

/**
 * The bot's configuration file (YAML or JSON). Tokens are deliberately absent: they come only from
 * the environment (see config.ts), so the file can be committed and reviewed.
 */

const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be a Slack user ID like U012ABCDEF (not a display name)');
const slackGroupId = z.string().regex(/^S[A-Z0-9]{2,}$/, 'must be a Slack user group ID like S012ABCDEF (not a @handle)');
const slackChannelId = z.string().regex(/^[CGD][A-Z0-9]{2,}$/, 'must be a Slack channel ID like C012ABCDEF (not a #name)');

/**
 * Who may run an action, from where. A rule allows when the user is listed (or in a listed group)
 * AND the channel is listed. "*" means anyone / any channel; empty lists allow nobody.
 */
export const AuthRule = z.strictObject({
  users: z.array(z.union([z.literal('*'), slackUserId])).default([]),
  groups: z.array(slackGroupId).default([]),
  channels: z.array(z.union([z.literal('*'), slackChannelId])).default([]),
  /** Limit the rule to some clusters; omitted = every configured cluster. */
  clusters: z.array(z.string().min(1)).optional(),
});
export type AuthRule = z.infer<typeof AuthRule>;

const HTTP_PORT = 'must be a port number between 0 and 65535 (0: any free port)';
const STOP_GRACE = 'must be a whole number of seconds between 0 and 3600';

export const BotConfigFile = z.strictObject({
  /** Where an editor finds the JSON Schema (rmq-compose bot schema); ignored by the bot. */
  $schema: z.string().optional(),
  mode: z
    .enum(['socket', 'http'])
    .default('socket')
    .describe('socket (default): Socket Mode, no public URL needed; http: Slack posts to a public URL and the bot verifies its request signatures.'),
  http: z
    .strictObject({
      port: z.number({ error: HTTP_PORT }).int(HTTP_PORT).min(0, HTTP_PORT).max(65535, HTTP_PORT).default(3000),
      host: z.string().optional(),
      path: z.string().startsWith('/').default('/slack/events'),
    })
    .prefault({})
    .describe('http mode: where the bot listens (port 0: any free port) and the path Slack posts to.'),
  command: z
    .string()
    .regex(/^\/[a-z0-9_-]+$/, 'must look like /rmq')
    .default('/rmq')
    .describe('The slash command, as configured in the Slack app.'),
  clusters: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'cluster names are lower-case letters, digits, - and _'), z.string().min(1))
    .describe('Cluster name → folder rmq-compose gen wrote (relative to this file); each is checked at start.'),
  defaultCluster: z.string().optional().describe('Used when the command names no cluster; defaults to the only cluster when there is one.'),
  resultsChannel: slackChannelId.describe('Channel ID where final results are announced, saying who ran what.'),
  announceReadOnly: z.boolean().default(false).describe('Announce read-only actions (status, logs…) in the results channel too, not only mutating ones.'),
  authorization: z
    .strictObject({
      /** Actions that change nothing (status, help, logs, partitions…). */
      readOnly: AuthRule.optional(),
      /** Actions that change the cluster. "*" users are refused here (see botConfigRules). */
      mutating: AuthRule.optional(),
      /** Per-action rules; they replace the readOnly/mutating rule for that action. */
      actions: z.record(z.string(), AuthRule).default({}),
      /** How long a user-group membership lookup is trusted. */
      groupCacheSeconds: z.number().int().min(0).default(300),
    })
    .describe('Who may run what, from where: readOnly and mutating rules, and per-action rules that replace them.'),
  confirmation: z
    .strictObject({
      expiresAfterSeconds: z.number().int().min(10).max(3600).default(120),
      /** Dangerous actions need a second, different authorized person to approve. */
      requireSecondPerson: z.boolean().default(false),
    })
    .prefault({})
    .describe('How long a confirmation button stays valid, and whether dangerous actions need a second person.'),
  /**
   * JSON-lines log of what names no cluster (help, unknown actions); relative to this file.
   * Everything about a cluster goes to that cluster's own audit.log, as from the CLI.
   */
  auditLog: z.string().optional().describe('JSON-lines log of what names no cluster (default rmq-bot-audit.jsonl beside this file).'),
  /** Override the Web API base URL (GovSlack, or a local fake in tests). */
  slackApiUrl: z
    .url()
    .refine(isSafeApiUrl, 'must be an https:// URL, or http:// only to this machine (127.0.0.1, ::1, localhost): the bot token travels with every call')
    .optional()
    .describe('Slack Web API base URL, e.g. for GovSlack (https, or http to this machine only).'),
  logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  stopGraceSeconds: z
    .number({ error: STOP_GRACE })
    .int(STOP_GRACE)
    .min(0, STOP_GRACE)
    .max(3600, STOP_GRACE)
    .default(30)
    .describe(
      'On SIGTERM/SIGINT: how long running actions get to stop at their next safe step (and their results to reach Slack) before the bot exits anyway (default 30). Give docker stop / systemd a longer timeout than this.',
    ),
  watch: WatchConfig.optional().describe('The watcher: which clusters are polled, how often, and where their alerts go.'),
});

/** One problem in the configuration: its path (as zod gives one) and what is wrong. */
export interface ConfigProblem {
  path: PropertyKey[];
  message: string;
}

/**
 * The checks across fields, over a parsed configuration (not inside the schema, so they run in the
 * same round as the shape checks: on the configuration with its refused values taken out).
 */
export function botConfigRules(cfg: BotConfigFile): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const names = Object.keys(cfg.clusters);
  if (names.length === 0) out.push({ path: ['clusters'], message: 'lists no cluster; add at least one name: folder entry' });
  if (cfg.defaultCluster !== undefined && !names.includes(cfg.defaultCluster)) {
    out.push({ path: ['defaultCluster'], message: `"${cfg.defaultCluster}" is not one of clusters (${names.join(', ')})` });
  }
  for (const [name, watched] of Object.entries(cfg.watch?.clusters ?? {})) {
    if (!names.includes(name))
      out.push({
        path: ['watch', 'clusters', name],
        message: `"${name}" is not one of clusters (${names.join(', ')}); the watcher watches configured clusters only`,
      });
    for (const problem of watchedClusterRules(watched)) out.push({ path: ['watch', 'clusters', name, ...problem.path], message: problem.message });
  }
  const rules: Array<[string[], AuthRule | undefined]> = [
    [['authorization', 'readOnly'], cfg.authorization.readOnly],
    [['authorization', 'mutating'], cfg.authorization.mutating],
    ...Object.entries(cfg.authorization.actions).map(([name, rule]): [string[], AuthRule] => [['authorization', 'actions', name], rule]),
  ];
  for (const [path, rule] of rules) {
    for (const [i, c] of (rule?.clusters ?? []).entries()) {
      if (!names.includes(c)) out.push({ path: [...path, 'clusters', i], message: `"${c}" is not one of clusters (${names.join(', ')})` });
    }
  }
  // Anyone-may-change-the-cluster is never what an operator means; make it impossible to say.
  if (cfg.authorization.mutating?.users.includes('*')) {
    out.push({ path: ['authorization', 'mutating', 'users'], message: '"*" (anyone) is not allowed for mutating actions; list user IDs or groups' });
  }
  return out;
}

export type BotConfigFile = z.infer<typeof BotConfigFile>;

/** The token goes to this URL on every call: never in clear across a network. */
function isSafeApiUrl(raw: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}
