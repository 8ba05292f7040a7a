import type { AuthorizationPolicy } from '../ops/index.js';
import type { Authorizer } from './authorize.js';

/**
 * The bot's rules as the request runner's authorization port: the channel is the one the actor
 * asked from. A group lookup that throws is the runner's to turn into a denial (fail closed).
 */
export function slackPolicy(authorizer: Authorizer): AuthorizationPolicy {
  return {
    check: (q) => authorizer.check({ user: q.actor.id, channel: q.actor.channel ?? '', action: q.action, mutating: q.mutating, cluster: q.cluster }),
  };
}
