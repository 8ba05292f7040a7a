import { z } from 'zod';
import { extractJson } from './json-output.js';

export interface Policy {
  vhost: string;
  name: string;
  pattern: string;
  applyTo: string;
  priority: number;
  definition: Record<string, unknown>;
}

/** Older CLIs print the definition as a JSON string, newer ones as an object. */
const Definition = z.union([
  z.record(z.string(), z.unknown()),
  z.string().transform((s, ctx) => {
    try {
      return z.record(z.string(), z.unknown()).parse(JSON.parse(s));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'definition is not a JSON object' });
      return z.NEVER;
    }
  }),
]);

const Row = z.object({
  vhost: z.string().default('/'),
  name: z.string(),
  pattern: z.string(),
  'apply-to': z.string().default('all'),
  priority: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?\d+$/)
        .transform(Number),
    ])
    .default(0),
  definition: Definition,
});

/** `rabbitmqctl list_policies --formatter json`. */
export function parsePolicies(stdout: string): Policy[] {
  if (stdout.trim() === '') return [];
  return z
    .array(Row)
    .parse(extractJson(stdout))
    .map((p) => ({
      vhost: p.vhost,
      name: p.name,
      pattern: p.pattern,
      applyTo: p['apply-to'],
      priority: p.priority,
      definition: p.definition,
    }));
}

/** ha-mode / ha-params / ha-sync-mode: the classic-mirroring keys (3.x only). */
export function isMirrorPolicy(p: Policy): boolean {
  return Object.keys(p.definition).some((k) => k.startsWith('ha-'));
}
