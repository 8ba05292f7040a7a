import { CATALOG } from '../catalog.js';
import { defineAction } from '../action.js';
import { parseNoArguments } from '../args/argument-shapes.js';

export interface UnlockData {
  /** Who held the lock that was broken; null when it was free. */
  brokeHolder: { actor: string; via: string; action: string; since: string; host?: string; pid?: number } | null;
}

/**
 * Break the cluster's lock. For a holder this machine cannot check (a process on another host,
 * or in another pid namespace) that is known to be gone: the pipeline asks first (dangerous) and
 * audits who broke whose lock. It runs without taking the lock itself.
 */
export const unlockAction = defineAction<Record<string, never>, UnlockData>(CATALOG.unlock, {
  parse: (argv) => parseNoArguments(argv, 'unlock'),
  async run(ctx) {
    if (!ctx.lock) throw new Error('unlock runs only through the pipeline, which hands it the lock');
    const h = await ctx.lock.break(ctx.cluster);
    const name = ctx.cluster.manifest.name;
    if (!h) return { ok: true, headline: `${name} was not locked`, text: 'nothing to break', data: { brokeHolder: null } };
    const who = `${h.actor.via} user ${h.actor.id} running ${[h.action, ...h.args].join(' ')} since ${h.since.toISOString()}${h.host ? ` on ${h.host}${h.pid ? ` (pid ${h.pid})` : ''}` : ''}`;
    return {
      ok: true,
      headline: `${name}: lock broken`,
      text: `broke the lock of ${who}`,
      data: {
        brokeHolder: {
          actor: h.actor.id,
          via: h.actor.via,
          action: h.action,
          since: h.since.toISOString(),
          ...(h.host ? { host: h.host } : {}),
          ...(h.pid ? { pid: h.pid } : {}),
        },
      },
    };
  },
});
