import { isMutating, type CatalogEntry } from '../ops/index.js';
import type { BotRuntime } from './runtime.js';

export interface Asker {
  user: string;
  channel: string;
}

/**
 * Which configured cluster names a person may know of. Someone who may not read a cluster must
 * not be able to tell it from a name that is not configured at all: to them its name is just
 * another word, answered exactly as an unknown one would be (issue 19).
 */
export async function readableClusters(rt: BotRuntime, who: Asker): Promise<string[]> {
  return rt.authorizer.readable(who.user, who.channel, Object.keys(rt.config.clusters));
}

/**
 * The names `/rmq <action> <cluster> …` may take as its cluster word: the clusters this person may
 * read, and the one named when they may run this very action on it (a rule can allow a change
 * on a cluster without allowing reads there).
 */
export async function nameableClusters(rt: BotRuntime, who: Asker, entry: CatalogEntry, rest: readonly string[]): Promise<string[]> {
  const readable = await readableClusters(rt, who);
  const [candidate, ...argv] = rest;
  if (candidate === undefined || readable.includes(candidate) || !(candidate in rt.config.clusters)) return readable;
  return (await mayRun(rt, who, entry.name, isMutating(entry, argv), candidate)) ? [...readable, candidate] : readable;
}

/** Whether this person may know of `cluster` when asking for `action` (read it, or run the action on it). */
export async function knowsCluster(rt: BotRuntime, who: Asker, cluster: string, action: string, mutating: boolean): Promise<boolean> {
  return (await rt.authorizer.readable(who.user, who.channel, [cluster])).length > 0 || (await mayRun(rt, who, action, mutating, cluster));
}

function mayRun(rt: BotRuntime, who: Asker, action: string, mutating: boolean, cluster: string): Promise<boolean> {
  return rt.authorizer.allows({ user: who.user, channel: who.channel, action, mutating, cluster });
}
