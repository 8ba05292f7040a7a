import type { ClusterManifest } from '../../contract/manifest.js';
import { expectPositionals, readArgv } from '../args/argv.js';
import { nodeArg } from '../args/validators.js';
import { InvalidArgumentError } from '../errors.js';

type Node = ClusterManifest['nodes'][number];

/** `<action> <node>` with nothing else. */
export function parseSingleNode(argv: readonly string[], manifest: ClusterManifest, usage: string): { node: Node } {
  const [name] = expectPositionals(readArgv(argv, {}, usage), 1, 1, usage);
  return { node: nodeArg(name, manifest) };
}

/** `<action>` with nothing after it. */
export function parseNoArguments(argv: readonly string[], name: string): Record<string, never> {
  if (argv.length > 0) throw new InvalidArgumentError(`${name} takes no arguments; usage: ${name}`);
  return {};
}
