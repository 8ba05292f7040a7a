import type { ClusterManifest } from '../../contract/manifest.js';
import { CONTROL_CHARACTER, POLICY_NAME } from '../../contract/names.js';
import { InvalidArgumentError } from '../errors.js';
import { maskedAndClipped } from './argv.js';

type ManifestNode = ClusterManifest['nodes'][number];

/** Queue names we act on: what RabbitMQ allows minus anything a shell or Slack could misread. */
const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,254}$/;

/** A node of this cluster, by name ("rabbit2") or Erlang name ("rabbit@rabbit2"). */
export function nodeArg(raw: string | undefined, manifest: ClusterManifest): ManifestNode {
  const names = manifest.nodes.map((n) => n.name).join(', ');
  if (!raw) throw new InvalidArgumentError(`say which node (one of: ${names})`);
  const node = manifest.nodes.find((n) => n.name === raw || n.erlangNode === raw);
  if (!node) throw new InvalidArgumentError(`unknown node "${maskedAndClipped(raw)}"; nodes of ${manifest.name}: ${names}`);
  return node;
}

export function queueNameArg(raw: string | undefined): string {
  if (!raw) throw new InvalidArgumentError('say which queue');
  if (!QUEUE_NAME.test(raw))
    throw new InvalidArgumentError(`"${maskedAndClipped(raw)}" is not a queue name this tool accepts (letters, digits, "_", ".", ":", "-"; at most 255)`);
  return raw;
}

export function policyNameArg(raw: string | undefined): string {
  if (!raw) throw new InvalidArgumentError('say which policy');
  if (!POLICY_NAME.test(raw)) throw new InvalidArgumentError(`"${maskedAndClipped(raw)}" is not a policy name (letters, digits, "_", "." or "-"; at most 64)`);
  return raw;
}

/** A queue-name regular expression for a policy: must compile, no control characters, bounded. */
export function policyPatternArg(raw: string | undefined): string {
  if (!raw) throw new InvalidArgumentError('say which queues the policy matches, e.g. "^" for all or "^orders\\." ');
  if (raw.length > 255 || CONTROL_CHARACTER.test(raw)) throw new InvalidArgumentError('the pattern must be at most 255 printable characters');
  // rabbitmqctl would read it as an option (-p is the vhost); "[-]…" matches the same queues ("^-…" would anchor it)
  if (raw.startsWith('-'))
    throw new InvalidArgumentError(
      `a pattern may not start with "-" (rabbitmqctl would take "${maskedAndClipped(raw)}" for an option); write it as "[-]${maskedAndClipped(raw.slice(1))}", which matches the same queues`,
    );
  try {
    new RegExp(raw);
  } catch {
    throw new InvalidArgumentError(`"${maskedAndClipped(raw)}" is not a valid regular expression`);
  }
  return raw;
}

/** A whole number in [min, max], written plainly: "10", not "1e1", "0x10", " 10" or "10abc". */
export function intArg(raw: string | undefined, what: string, min: number, max: number): number {
  if (raw === undefined || !/^[0-9]{1,9}$/.test(raw))
    throw new InvalidArgumentError(`${what} must be a whole number from ${min} to ${max}${raw === undefined ? '' : `, not "${maskedAndClipped(raw)}"`}`);
  const value = Number(raw);
  if (value < min || value > max) throw new InvalidArgumentError(`${what} must be from ${min} to ${max}, not ${value}`);
  return value;
}
