import type { PolicyEntry } from './definition-entries.js';

/**
 * Which policy RabbitMQ applies to a queue (rabbit_policy.erl `match_all` and `matches`, 3.10.8
 * and 4.0.5): same vhost, `apply-to` covering the queue, the regex `pattern` found in the name
 * (re:run, unanchored), no key the queue type does not support (`is_policy_applicable`), then
 * the highest priority. docs/policies (4.0): "When multiple policies match an entity and they
 * all have equal priorities, the effective one will be chosen undeterministically": ties are
 * returned so the report can say so; the winner among them is the first by name, to be stable.
 */

export interface PolicyContext {
  /** "classic", "quorum", "stream". */
  queueType: string;
  /** Keys that make a policy inapplicable to this queue type (queue-type-facts.ts). */
  unsupported: ReadonlySet<string>;
}

export interface PolicyMatch {
  winner: PolicyEntry | undefined;
  /** Other applicable policies with the winner's priority: RabbitMQ may pick any of them. */
  tiedWith: PolicyEntry[];
}

export function effectivePolicy(queue: { vhost: string; name: string }, policies: readonly PolicyEntry[], context: PolicyContext): PolicyMatch {
  const applicable = policies
    .filter((p) => p.vhost === queue.vhost && appliesToType(p['apply-to'], context.queueType))
    .filter((p) => !Object.keys(p.definition).some((k) => context.unsupported.has(k)))
    .filter((p) => matchesName(p.pattern, queue.name))
    .sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const winner = applicable[0];
  return { winner, tiedWith: winner ? applicable.slice(1).filter((p) => p.priority === winner.priority) : [] };
}

/** rabbit_policy.erl 4.0.5 `matches_queue_type`; 3.x knows only all / queues / exchanges. */
function appliesToType(applyTo: string, queueType: string): boolean {
  if (applyTo === 'all' || applyTo === 'queues') return true;
  return (
    (applyTo === 'classic_queues' && queueType === 'classic') ||
    (applyTo === 'quorum_queues' && queueType === 'quorum') ||
    (applyTo === 'streams' && queueType === 'stream')
  );
}

/** A pattern this module cannot read is reported by `patternProblem` and matches nothing here. */
export function matchesName(pattern: string, name: string): boolean {
  const compiled = toJsRegExp(pattern);
  return compiled instanceof RegExp && compiled.test(name);
}

export function patternProblem(pattern: string): string | undefined {
  const compiled = toJsRegExp(pattern);
  return compiled instanceof RegExp ? undefined : compiled.problem;
}

/**
 * RabbitMQ runs policy patterns through Erlang's `re` (PCRE). JavaScript reads the common subset
 * the same way; the PCRE-only pieces are translated (\A, \Z, \z, a leading (?i)) or refused, so a
 * pattern is never silently read differently. Queue names carry no newline (the channel strips
 * CR/LF), so PCRE's "$ before a final newline" does not arise.
 */
export function toJsRegExp(pattern: string): RegExp | { problem: string } {
  let source = pattern;
  let flags = '';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags = 'i';
  }
  let out = '';
  let inClass = false;
  let afterQuantifier = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    const next = source[i + 1];
    const wasQuantifier = afterQuantifier;
    afterQuantifier = false;
    if (c === '\\') {
      if (next === undefined) return { problem: 'ends with a lone backslash' };
      if ('QEGKRhHXCpPNgo'.includes(next) || (next === 'x' && source[i + 2] === '{')) return { problem: `uses \\${next}, which JavaScript reads differently` };
      out += inClass ? c + next : next === 'A' ? '^' : next === 'Z' || next === 'z' ? '$' : c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && next === ':') return { problem: 'uses a POSIX class ([:alpha:])' };
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      // PCRE reads "[]…]" and "[^]…]" as a class holding "]"; JavaScript as an empty class
      if (next === ']' || (next === '^' && source[i + 2] === ']')) return { problem: 'starts a character class with "]"' };
      inClass = true;
    } else if (c === '(' && next === '?' && !/^\(\?(?::|=|!|<=|<!|<[A-Za-z])/.test(source.slice(i))) {
      return { problem: `uses the group "${source.slice(i, i + 3)}", which JavaScript does not have` };
    } else if (c === '+' && wasQuantifier) {
      return { problem: 'uses a possessive quantifier' };
    } else if ('*+?}'.includes(c)) {
      afterQuantifier = true;
    }
    out += c;
  }
  try {
    return new RegExp(out, flags);
  } catch (error) {
    return { problem: `is not a regular expression JavaScript reads (${(error as Error).message})` };
  }
}
