import type { ClusterManifest } from '../../contract/manifest.js';
import { expectPositionals, readArgv } from './argv.js';
import { nodeArg } from './validators.js';
import { InvalidArgumentError } from '../errors.js';

type Node = ClusterManifest['nodes'][number];

/** `<action> <node>` with nothing else. */
export function parseSingleNode(argv: readonly string[], manifest: ClusterManifest, usage: string): { node: Node } {
  const [name] = expectPositionals(readArgv(argv, {}, usage), 1, 1, usage);
  return { node: nodeArg(name, manifest) };
}

/** `<action> <node> [--force]`: --force passes the quorum gate (restart, drain). */
export function parseGatedNode(argv: readonly string[], manifest: ClusterManifest, usage: string): { node: Node; force: boolean } {
  const p = readArgv(argv, { force: 'boolean' }, usage);
  const [name] = expectPositionals(p, 1, 1, usage);
  return { node: nodeArg(name, manifest), force: p.flags.has('force') };
}

/** `<action>` with nothing after it. */
export function parseNoArguments(argv: readonly string[], name: string): Record<string, never> {
  if (argv.length > 0) throw new InvalidArgumentError(`${name} takes no arguments; usage: ${name}`);
  return {};
}
