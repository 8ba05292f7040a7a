import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The docker CLI's own plugin folders on Linux, after the config dir's (docker/cli cli-plugins/manager). */
export const SYSTEM_PLUGIN_DIRS: readonly string[] = ['/usr/local/lib/docker/cli-plugins', '/usr/local/libexec/docker/cli-plugins', '/usr/lib/docker/cli-plugins', '/usr/libexec/docker/cli-plugins'];

/** Where to look for the Compose plugin: the environment (DOCKER_CONFIG, HOME) and the system folders. */
export interface PluginPlaces {
  env: Readonly<Record<string, string | undefined>>;
  systemDirs: readonly string[];
}

export const thisMachine = (): PluginPlaces => ({ env: process.env, systemDirs: SYSTEM_PLUGIN_DIRS });

const homeConfig = (env: PluginPlaces['env']) => join(env['HOME'] || homedir(), '.docker');

/**
 * The folders the docker CLI searches, in its order: $DOCKER_CONFIG/cli-plugins, or
 * ~/.docker/cli-plugins only when DOCKER_CONFIG is unset, then the system folders. (It also
 * reads `cliPluginsExtraDirs` from config.json: a plugin found only there is seen by asking
 * `docker compose version` instead.)
 */
export function visiblePluginDirs(places: PluginPlaces): string[] {
  return [join(places.env['DOCKER_CONFIG'] || homeConfig(places.env), 'cli-plugins'), ...places.systemDirs];
}

/** The first executable `docker-compose` in `dirs`, or undefined. */
export function findComposePlugin(dirs: readonly string[]): string | undefined {
  for (const dir of dirs) {
    const file = join(dir, 'docker-compose');
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not there, or not executable: the CLI skips it too
    }
  }
  return undefined;
}

/**
 * The plugin in ~/.docker/cli-plugins when DOCKER_CONFIG points elsewhere: installed, but the
 * docker CLI does not look there, so `docker compose` is an unknown command.
 */
export function hiddenComposePlugin(places: PluginPlaces): string | undefined {
  const config = places.env['DOCKER_CONFIG'];
  if (!config || resolve(config) === resolve(homeConfig(places.env))) return undefined;
  return findComposePlugin([join(homeConfig(places.env), 'cli-plugins')]);
}
