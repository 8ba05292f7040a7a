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
 * channel is listed AND the user is listed or in a listed group.
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
    if (req.cluster !== undefined && rule.clusters && !rule.clusters.includes(req.cluster)) {
      return { allowed: false, reason: `\`${req.action}\` is not allowed on cluster ${req.cluster}` };
    }
    if (!rule.channels.includes('*') && !rule.channels.includes(req.channel)) {
      return { allowed: false, reason: `\`${req.action}\` is not allowed in this channel` };
    }
    if (rule.users.includes('*') || rule.users.includes(req.user)) return { allowed: true };
    for (const group of rule.groups) {
      if ((await this.members(group)).has(req.user)) return { allowed: true };
    }
    return { allowed: false, reason: `you are not allowed to run \`${req.action}\`` };
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
