import { z } from 'zod';
import { Definitions } from '../../contract/definitions.js';
import type { Finding } from '../../lib/findings.js';
import { dotPath } from '../../lib/zod-issues.js';
import { escapeControlCharacters } from '../render/escape-control-characters.js';

/** Where every finding about the definitions file points in the spec. */
export const DEFINITIONS_SPEC_PATH = 'rabbitmq.definitions';

const EXPORT_HINT = 'export the whole cluster with `rabbitmqctl export_definitions <file>`';
const ONE_VHOST = `has no "vhost": a one-virtual-host export (the management UI's or GET /api/definitions/<vhost>) cannot be imported at boot (RabbitMQ refuses it); ${EXPORT_HINT}`;
const inVhost = z.looseObject({ vhost: z.string({ error: ONE_VHOST }) });

/**
 * What a boot-time import needs on top of the shared shape (contract/definitions.ts): names and
 * vhosts RabbitMQ would otherwise stop the node over while it boots. Tags are required because
 * RabbitMQ's import throws tags_not_present without them.
 */
export const BootDefinitions = Definitions.extend({
  users: z
    .array(
      z.looseObject({
        name: z.string({ error: 'needs a "name"' }).min(1, 'needs a non-empty "name"'),
        tags: z.union([z.string(), z.array(z.string())], {
          error: 'needs "tags" (a string such as "administrator", or "" for none): RabbitMQ refuses a user without them',
        }),
      }),
    )
    .optional(),
  vhosts: z.array(z.looseObject({ name: z.string({ error: 'needs a "name"' }).min(1, 'needs a non-empty "name"') })).optional(),
  permissions: z.array(z.looseObject({ user: z.string({ error: 'needs a "user"' }), vhost: z.string({ error: 'needs a "vhost"' }) })).optional(),
  queues: z.array(inVhost).optional(),
  exchanges: z.array(inVhost).optional(),
  bindings: z.array(inVhost).optional(),
  policies: z.array(inVhost).optional(),
});
export type BootDefinitions = z.infer<typeof BootDefinitions>;

/** A file with thousands of bad entries gets this many lines, not thousands. */
const MOST_FINDINGS = 5;

/**
 * The text of the spec's definitions file → its content, or findings naming `rabbitmq.definitions`
 * and the place in the file. Pure. Nothing of the file's content is echoed (it holds password
 * hashes, and may hold clear passwords): only its keys and positions.
 */
export function parseBootDefinitions(text: string, file: string): { definitions: BootDefinitions; errors: [] } | { definitions: undefined; errors: Finding[] } {
  const shown = escapeControlCharacters(file);
  const fail = (messages: string[]) => ({
    definitions: undefined,
    errors: messages.map((message) => ({ path: DEFINITIONS_SPEC_PATH, message: `${shown}: ${message}` })),
  });
  let raw: unknown;
  try {
    // a byte-order mark is what some editors put first; JSON.parse refuses it
    raw = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    return fail([`is not valid JSON (${jsonProblem(error, text)}); the file must be a definitions export: ${EXPORT_HINT}`]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail([
      `must be a JSON object with "users", "vhosts", "queues"… lists, as a definitions export is; this file holds ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : `a ${typeof raw}`} (${EXPORT_HINT})`,
    ]);
  }
  const parsed = BootDefinitions.safeParse(raw);
  // checked by the schema, but kept as written: zod's copy puts the known keys first
  if (parsed.success) return { definitions: raw as BootDefinitions, errors: [] };
  const messages = parsed.error.issues.map((issue) => `${dotPath(issue.path)}: ${issueMessage(issue)}`);
  const shownMessages = messages.slice(0, MOST_FINDINGS);
  if (messages.length > MOST_FINDINGS) shownMessages.push(`and ${messages.length - MOST_FINDINGS} more problems like these`);
  return fail(shownMessages);
}

function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'array') return 'must be a list (a JSON array), as a definitions export writes it';
  if (issue.code === 'invalid_type' && issue.expected === 'object') return 'must be an object';
  if (issue.code === 'invalid_type' && issue.expected === 'string' && issue.message.startsWith('Invalid input')) return 'must be a string';
  return issue.message;
}

/**
 * V8's own message quotes the text around a syntax error, which could be a password hash or a
 * clear password: keep only its reason, with a line and column from its position.
 */
function jsonProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  const at = /^(.*?) in JSON at position (\d+)/.exec(message);
  if (at) {
    const before = text.slice(0, Number(at[2]));
    const line = before.split('\n').length;
    return `${at[1]}, line ${line} column ${before.length - before.lastIndexOf('\n')}`;
  }
  if (/^Unexpected end of JSON input/.test(message)) return 'it ends too early';
  // one character of the file says where to look and gives nothing away
  const token = /^Unexpected token '(.)'/u.exec(message);
  return token ? `an unexpected "${escapeControlCharacters(token[1]!)}"` : 'an unexpected character';
}
