import { UserError } from '../lib/errors.js';
import { ClusterNotFoundError, isMutating, type Actor, type CatalogEntry, type PreparedAction } from '../ops/index.js';
import { toUserFacing } from './errors.js';
import { executeAction } from './execute-action.js';
import { busyMessage } from './render/busy.js';
import { confirmMessage } from './render/confirm-blocks.js';
import { noticeMessage } from './render/result-blocks.js';
import { md } from './render/slack-text.js';
import { auditPrepared, auditUnbound, type BotRuntime, type Reply, type UnboundAudit } from './runtime.js';

export interface RunRequest {
  actor: Actor;
  entry: CatalogEntry;
  argv: readonly string[];
  /** The configured cluster name. */
  cluster: string;
  channel: string;
  startedAt: number;
  reply: Reply;
  /** Where the confirmation, live view and result go: an alert's thread. */
  threadTs?: string;
  /** Ask for confirmation before any mutating run, dangerous or not (a button pressed on an alert). */
  confirmMutating?: boolean;
  /** How the failure is logged, e.g. "/rmq restart". */
  origin: string;
}

/**
 * From a known action on a named cluster to its run, the same for a slash command and an alert's
 * button: authorize (before the cluster folder is touched), prepare through the pipeline, refuse
 * if the cluster is busy, then ask for confirmation or execute. Never throws.
 */
export async function runRequest(rt: BotRuntime, r: RunRequest): Promise<void> {
  let prepared: PreparedAction | undefined;
  let preparing = false;
  const unbound = (result: UnboundAudit['result'], detail?: string) =>
    auditUnbound(rt, { actor: r.actor, action: r.entry.name, cluster: r.cluster, dir: rt.config.clusters[r.cluster], args: r.argv, result, startedAt: r.startedAt, ...(detail !== undefined ? { detail } : {}) });
  try {
    const decision = await rt.authorizer
      .check({ user: r.actor.id, channel: r.channel, action: r.entry.name, mutating: isMutating(r.entry, r.argv), cluster: r.cluster })
      .catch((error: unknown) => {
        // Fail closed: a group lookup that failed means "not shown to be allowed".
        rt.logger.warn(`authorization lookup failed: ${rt.redactor.apply(String(error))}`);
        return { allowed: false as const, reason: 'your user groups could not be checked just now; try again shortly' };
      });
    if (!decision.allowed) return await denyRequest(r.reply, decision.reason, unbound);

    preparing = true;
    prepared = await rt.deps.ops.prepare({ action: r.entry.name, argv: r.argv, actor: r.actor, dir: rt.config.clusters[r.cluster] ?? '' });
    preparing = false;

    const holder = await rt.deps.ops.holder(prepared);
    if (holder) {
      await auditPrepared(rt, prepared, 'busy', `held by ${holder.actor.id} (${holder.action})`, r.startedAt);
      return await r.reply(busyMessage(r.cluster, holder, rt.now()));
    }

    if (prepared.dangerous || (r.confirmMutating && prepared.mutating)) {
      const pending = rt.pending.add({ requester: r.actor, action: r.entry.name, cluster: r.cluster, argv: r.argv, prepared, channel: r.channel });
      const msg = confirmMessage(pending, prepared.summary, rt.config.confirmation.requireSecondPerson);
      await auditPrepared(rt, prepared, 'pending', 'awaiting confirmation', r.startedAt);
      // Posted in the channel (not ephemeral) so that a second person can see and approve it.
      pending.messageTs = await rt.out.post(r.channel, msg, r.threadTs);
      return;
    }

    await executeAction(rt, prepared, { clusterName: r.cluster, channel: r.channel, startedAt: r.startedAt, reply: r.reply, ...(r.threadTs ? { threadTs: r.threadTs } : {}) });
  } catch (error) {
    const facing = toUserFacing(error, rt.logger, rt.redactor.apply, r.origin);
    const detail = facing.errorId ? `error id ${facing.errorId}` : facing.message;
    // prepare audits its own rejections once the cluster is loaded; what came before or after is ours
    if (prepared) await auditPrepared(rt, prepared, facing.errorId ? 'error' : 'rejected', detail, r.startedAt);
    else if (!preparing || !(error instanceof UserError) || error instanceof ClusterNotFoundError) await unbound(facing.errorId ? 'error' : 'rejected', detail);
    await r.reply(noticeMessage(facing.errorId ? ':x:' : ':warning:', md`${facing.message}`)).catch((e: unknown) => rt.logger.warn(`reply failed: ${rt.redactor.apply(String(e))}`));
  }
}

/** A denial: on record first, then told (runtime.ts: the audit line comes before the answer). */
export async function denyRequest(reply: Reply, reason: string, unbound: (result: 'denied', detail: string) => Promise<void>): Promise<void> {
  await unbound('denied', reason);
  await reply(noticeMessage(':no_entry:', md`Not allowed: ${reason}. Ask an admin to add you to the bot's authorization rules.`));
}
