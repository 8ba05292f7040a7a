import type { AuthRule } from './config-schema.js';
import type { BotConfig } from './config.js';

/** Reads a user group's members (usergroups.users.list). */
export type GroupMembersFetcher = (groupId: string) => Promise<readonly string[]>;

export interface AuthRequest {
  user: string;
  channel: string;
  action: string;
  mutating: boolean;
  cluster: string | undefined;
}

export type AuthDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Deny by default. The rule for an action is its own entry under authorization.actions, else the
 * readOnly or mutating rule by the action's kind; no rule means nobody. A rule allows when the
 * channel is listed AND the user is listed or in a listed group AND (with `clusters:`) the
 * cluster is one of its clusters.
 *
 * A reason never names a cluster: who may not use a cluster may not learn that it exists either.
 */
export class Authorizer {
  readonly #cache = new Map<string, { members: ReadonlySet<string>; until: number }>();

  constructor(
    private readonly auth: BotConfig['authorization'],
    private readonly fetchMembers: GroupMembersFetcher,
    private readonly now: () => number = Date.now,
  ) {}

  ruleFor(action: string, mutating: boolean): AuthRule | undefined {
    return this.auth.actions[action] ?? (mutating ? this.auth.mutating : this.auth.readOnly);
  }

  async check(req: AuthRequest): Promise<AuthDecision> {
    const rule = this.ruleFor(req.action, req.mutating);
    if (!rule) return { allowed: false, reason: `no authorization rule covers \`${req.action}\`` };
    if (!rule.channels.includes('*') && !rule.channels.includes(req.channel)) {
      return { allowed: false, reason: `\`${req.action}\` is not allowed in this channel` };
    }
    if (!(await this.listed(rule, req.user))) return { allowed: false, reason: `you are not allowed to run \`${req.action}\`` };
    // last, and without its name: someone the rule does not list learns nothing about clusters from it
    if (req.cluster !== undefined && rule.clusters && !rule.clusters.includes(req.cluster)) {
      return { allowed: false, reason: `\`${req.action}\` is not allowed on that cluster` };
    }
    return { allowed: true };
  }

  /**
   * The clusters this person may know of from this channel: the ones help's rule (readOnly,
   * unless authorization.actions.help says otherwise) lets them read. A group lookup that fails
   * shows none (fail closed).
   */
  async readable(user: string, channel: string, clusters: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const cluster of clusters) {
      if (await this.allows({ user, channel, action: 'help', mutating: false, cluster })) out.push(cluster);
    }
    return out;
  }

  /**
   * Whether a person may know of something (a cluster's name), for what the bot shows, not for
   * what it runs (requests are authorized by the request runner, which audits): a failed group
   * lookup is a no (fail closed).
   */
  async allows(req: AuthRequest): Promise<boolean> {
    return (await this.check(req).catch(() => ({ allowed: false }))).allowed;
  }

  private async listed(rule: AuthRule, user: string): Promise<boolean> {
    if (rule.users.includes('*') || rule.users.includes(user)) return true;
    for (const group of rule.groups) {
      if ((await this.members(group)).has(user)) return true;
    }
    return false;
  }

  /** Cached per group; a failed lookup propagates (the caller denies: fail closed). */
  private async members(group: string): Promise<ReadonlySet<string>> {
    const hit = this.#cache.get(group);
    if (hit && hit.until > this.now()) return hit.members;
    const members = new Set(await this.fetchMembers(group));
    this.#cache.set(group, { members, until: this.now() + this.auth.groupCacheSeconds * 1000 });
    return members;
  }
}
