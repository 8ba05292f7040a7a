import { z } from 'zod';
import { WatchConfig } from './watch/watch-config-schema.js';

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

export const BotConfigFile = z
  .strictObject({
    /** Socket Mode needs no public URL; http needs one and verifies Slack's request signatures. */
    mode: z.enum(['socket', 'http']).default('socket'),
    http: z
      .strictObject({
        port: z.number().int().min(0).max(65535).default(3000),
        host: z.string().optional(),
        path: z.string().startsWith('/').default('/slack/events'),
      })
      .prefault({}),
    command: z.string().regex(/^\/[a-z0-9_-]+$/, 'must look like /rmq').default('/rmq'),
    /** Cluster name → generated cluster folder (relative paths are relative to this file). */
    clusters: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'cluster names are lower-case letters, digits, - and _'), z.string().min(1)),
    /** Used when the command names no cluster; defaults to the only cluster when there is one. */
    defaultCluster: z.string().optional(),
    /** Where final results are announced, saying who ran what. */
    resultsChannel: slackChannelId,
    /** Announce read-only actions (status, logs…) in the results channel too, not only mutating ones. */
    announceReadOnly: z.boolean().default(false),
    authorization: z.strictObject({
      /** Actions that change nothing (status, help, logs, partitions…). */
      readOnly: AuthRule.optional(),
      /** Actions that change the cluster. "*" users are refused here (see the refinement below). */
      mutating: AuthRule.optional(),
      /** Per-action rules; they replace the readOnly/mutating rule for that action. */
      actions: z.record(z.string(), AuthRule).default({}),
      /** How long a user-group membership lookup is trusted. */
      groupCacheSeconds: z.number().int().min(0).default(300),
    }),
    confirmation: z
      .strictObject({
        expiresAfterSeconds: z.number().int().min(10).max(3600).default(120),
        /** Dangerous actions need a second, different authorized person to approve. */
        requireSecondPerson: z.boolean().default(false),
      })
      .prefault({}),
    /**
     * JSON-lines log of what names no cluster (help, unknown actions); relative to this file.
     * Everything about a cluster goes to that cluster's own audit.log, as from the CLI.
     */
    auditLog: z.string().optional(),
    /** Override the Web API base URL (GovSlack, or a local fake in tests). */
    slackApiUrl: z
      .url()
      .refine(isSafeApiUrl, 'must be an https:// URL, or http:// only to this machine (127.0.0.1, ::1, localhost): the bot token travels with every call')
      .optional(),
    logLevel: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    /** The watcher: which clusters are polled, how often, where their alerts go (README "Watcher"). */
    watch: WatchConfig.optional(),
  })
  .superRefine((cfg, ctx) => {
    const names = Object.keys(cfg.clusters);
    if (names.length === 0) ctx.addIssue({ code: 'custom', path: ['clusters'], message: 'lists no cluster; add at least one name: folder entry' });
    if (cfg.defaultCluster !== undefined && !names.includes(cfg.defaultCluster)) {
      ctx.addIssue({ code: 'custom', path: ['defaultCluster'], message: `"${cfg.defaultCluster}" is not one of clusters (${names.join(', ')})` });
    }
    for (const name of Object.keys(cfg.watch?.clusters ?? {})) {
      if (!names.includes(name)) ctx.addIssue({ code: 'custom', path: ['watch', 'clusters', name], message: `"${name}" is not one of clusters (${names.join(', ')}); the watcher watches configured clusters only` });
    }
    const rules: Array<[string[], AuthRule | undefined]> = [
      [['authorization', 'readOnly'], cfg.authorization.readOnly],
      [['authorization', 'mutating'], cfg.authorization.mutating],
      ...Object.entries(cfg.authorization.actions).map(([name, rule]): [string[], AuthRule] => [['authorization', 'actions', name], rule]),
    ];
    for (const [path, rule] of rules) {
      for (const [i, c] of (rule?.clusters ?? []).entries()) {
        if (!names.includes(c)) ctx.addIssue({ code: 'custom', path: [...path, 'clusters', i], message: `"${c}" is not one of clusters (${names.join(', ')})` });
      }
    }
    // Anyone-may-change-the-cluster is never what an operator means; make it impossible to say.
    if (cfg.authorization.mutating?.users.includes('*')) {
      ctx.addIssue({ code: 'custom', path: ['authorization', 'mutating', 'users'], message: '"*" (anyone) is not allowed for mutating actions; list user IDs or groups' });
    }
  });
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
