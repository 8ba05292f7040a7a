import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import type { ClusterModel, HostModel } from '../../spec/model.js';
import { isPrivate, type RenderedFile } from '../rendered-file.js';
import type { ComposeConfig, ComposeService } from './compose-types.js';

/**
 * A machine with `docker:` is driven from another one (ssh://, tcp://, a context; even a
 * unix:// socket may be one forwarded from elsewhere): its files travel inside its compose
 * file. The others keep bind mounts, which Compose v1 understands too.
 */
export function carriesFilesInline(model: ClusterModel, host: HostModel): boolean {
  return model.multiHost && host.docker !== undefined;
}

/** A generated file a container reads: its path in the machine's folder, and where the container sees it. */
export interface FileMount {
  path: string;
  target: string;
}

/** How a machine's containers get the generated files they read. */
export interface FileDelivery {
  /** The service's `volumes` (the generated files, then `volumes`, e.g. named volumes) or `configs` + `volumes`. */
  mount(service: string, files: readonly FileMount[], volumes?: readonly string[]): Pick<ComposeService, 'volumes' | 'configs'>;
  /** Top-level `configs:` the mounted services refer to; empty for bind mounts. */
  readonly configs: Readonly<Record<string, ComposeConfig>>;
  /** A label that changes with the content the service was given, or nothing (see inlineConfigs). */
  contentLabel(service: string): Record<string, string>;
}

/**
 * Read-only bind mounts of the files beside the compose file: what Compose v1 understands, and
 * right whenever the engine runs on the machine whose disk holds the folder.
 */
export function bindMounts(): FileDelivery {
  return {
    mount: (_service, files, volumes = []) => ({ volumes: [...files.map((f) => `./${f.path}:${f.target}:ro`), ...volumes] }),
    configs: {},
    contentLabel: () => ({}),
  };
}

export const CONTENT_LABEL = 'io.rmq-compose.configs-sha256';

/**
 * The files inlined in the compose file as top-level `configs:` with `content:`. A bind mount
 * names a path the *engine's* machine resolves: through ssh://, tcp:// or a context that is
 * another machine, where the folder does not exist. Compose (v2.23.1+, no swarm) copies a
 * config's content into the container when it creates it. Every `$` in the content is doubled
 * by the writer like in any other value, so Compose's interpolation gives the bytes back.
 */
export function inlineConfigs(files: readonly RenderedFile[]): FileDelivery {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const configs: Record<string, ComposeConfig> = {};
  const given = new Map<string, string[]>();
  return {
    mount(service, mounts, volumes = []) {
      const refs = mounts.map((m) => {
        const file = byPath.get(m.path);
        if (!file) throw new Error(`${service} mounts ${m.path}, which is not generated for this machine`);
        const name = configName(service, m.path);
        if (configs[name]) throw new Error(`config name ${name} is used twice in one compose file`);
        configs[name] = { content: file.contents };
        // scripts are run with /bin/sh, but stay executable like the files they replace; a
        // private file stays readable by its owner (root in the container) only
        return { source: name, target: m.target, mode: file.mode & 0o111 ? 0o555 : isPrivate(file) ? 0o400 : 0o444 };
      });
      given.set(service, mounts.map((m) => `${m.target}\n${byPath.get(m.path)!.contents}`));
      return volumes.length > 0 ? { configs: refs, volumes: [...volumes] } : { configs: refs };
    },
    configs,
    // Compose copies the content in only when it creates the container, and some versions do
    // not recreate it when just the content changed (docker/compose#11900): the container
    // would keep the old file. A label is part of what Compose compares, so it does recreate.
    contentLabel(service): Record<string, string> {
      const contents = given.get(service);
      if (!contents) return {};
      return { [CONTENT_LABEL]: createHash('sha256').update(contents.join('\0')).digest('hex').slice(0, 16) };
    },
  };
}

/** `rabbit1` + `rabbitmq/rabbitmq.conf` → `rabbit1-rabbitmq-conf`: letters, digits and "-", unique per service and file name. */
function configName(service: string, path: string): string {
  return `${service}-${posix.basename(path)}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}
