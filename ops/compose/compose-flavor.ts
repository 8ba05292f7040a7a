import type { CommandRunner } from '../runner/command.js';
import { DockerUnavailableError } from '../errors.js';
import { ComposePluginHiddenError } from './compose-errors.js';
import { findComposePlugin, hiddenComposePlugin, thisMachine, visiblePluginDirs, type PluginPlaces } from './plugin-dirs.js';

/** How to invoke Compose on this machine: v2 as a docker plugin, or a standalone `docker-compose` (v1, or v2). */
export interface ComposeFlavor {
  version: 1 | 2;
  file: string;
  /** Arguments before the compose ones ("compose" for the plugin). */
  prefix: readonly string[];
  /** What `version --short` said ("2.26.1"); unset for a plugin found on disk and not asked yet. */
  release?: string;
  /** Why this one, for a person: "plugin /usr/libexec/docker/cli-plugins/docker-compose". */
  reason: string;
}

const PLUGIN = { version: 2, file: 'docker', prefix: ['compose'] } as const;
const STANDALONE = { file: 'docker-compose', prefix: [] } as const;

/** "docker compose 2.26.1 (plugin /usr/libexec/docker/cli-plugins/docker-compose)": which Compose runs, and why. */
export function describeFlavor(f: ComposeFlavor): string {
  return `${[f.file, ...f.prefix].join(' ')}${f.release ? ` ${f.release}` : ''} (${f.reason})`;
}

// One detection per runner (i.e. per process in practice): it costs up to two process starts.
const cache = new WeakMap<CommandRunner, Promise<ComposeFlavor>>();

/**
 * `docker compose` (v2) when the docker CLI has the plugin. A standalone `docker-compose` only
 * when no plugin is installed at all, and the reason says so; a plugin that is installed but
 * hidden by DOCKER_CONFIG is an error, not a quiet switch to v1.
 */
export function detectComposeFlavor(runner: CommandRunner, places: PluginPlaces = thisMachine()): Promise<ComposeFlavor> {
  let found = cache.get(runner);
  if (!found) {
    found = detect(runner, places);
    cache.set(runner, found);
    // a failed detection is not cached: the user may install compose and retry in a long-lived bot
    found.catch(() => cache.delete(runner));
  }
  return found;
}

/** The flavor with its `release` known: asks a plugin found on disk once (~70 ms), cached like the detection. */
export async function withRelease(runner: CommandRunner, flavor: ComposeFlavor): Promise<ComposeFlavor> {
  if (flavor.release) return flavor;
  const asked = await askVersion(runner, flavor);
  if (!asked.answered) throw new DockerUnavailableError(`Docker Compose (${flavor.reason}) does not answer \`${[flavor.file, ...flavor.prefix].join(' ')} version\`: ${asked.said}`);
  const known = { ...flavor, ...releaseOf(asked) };
  cache.set(runner, Promise.resolve(known));
  return known;
}

async function detect(runner: CommandRunner, places: PluginPlaces): Promise<ComposeFlavor> {
  // only the real runner looks at this machine's disk; a scripted one is asked instead
  const onDisk = runner.findsPluginsOnDisk === true;
  const dirs = visiblePluginDirs(places);
  // on disk: saves starting the plugin once per process just to ask its version (~70 ms)
  const plugin = onDisk ? findComposePlugin(dirs) : undefined;
  if (plugin) return { ...PLUGIN, reason: `plugin ${plugin}` };
  const v2 = await askVersion(runner, PLUGIN);
  if (v2.answered) return { ...PLUGIN, ...releaseOf(v2), reason: 'the docker CLI found the plugin' };
  // DOCKER_CONFIG (an operator's contexts) hides ~/.docker/cli-plugins: say so rather than run v1
  const hidden = onDisk ? hiddenComposePlugin(places) : undefined;
  if (hidden) throw new ComposePluginHiddenError(hidden, places.env['DOCKER_CONFIG']!, dirs, v2.said);
  const standalone = await askVersion(runner, STANDALONE);
  const nowhere = `no Compose v2 plugin${onDisk ? ` in ${dirs.join(', ')}` : ''}, \`docker compose\` said "${v2.said}"`;
  if (standalone.answered) return { ...STANDALONE, version: standalone.release?.startsWith('1.') ? 1 : 2, ...releaseOf(standalone), reason: `docker-compose on PATH; ${nowhere}` };
  throw new DockerUnavailableError(`Docker Compose is not available: ${nowhere}, and \`docker-compose\` said "${standalone.said}". Install the Docker Compose plugin (v2).`);
}

interface Answer {
  answered: boolean;
  /** "2.26.1", "1.29.2"; unset when it answered without one (a development build). */
  release?: string;
  said: string;
}

const releaseOf = (a: Answer) => (a.release ? { release: a.release } : {});

/** `version --short`: whether it answers, with which release, else what it said instead. */
async function askVersion(runner: CommandRunner, how: { file: string; prefix: readonly string[] }): Promise<Answer> {
  const r = await runner.run({ file: how.file, args: [...how.prefix, 'version', '--short'], timeoutMs: 15_000 });
  const out = r.stdout.trim().replace(/^v/, '');
  if (r.exitCode === 0 && !r.timedOut) return { answered: true, ...(/^\d+\.\d+/.test(out) ? { release: out } : {}), said: out };
  return { answered: false, said: r.timedOut ? 'no answer within 15 s' : firstLine(r.stderr || r.stdout) };
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.slice(0, 200) || 'nothing';
}
