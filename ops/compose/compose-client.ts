import { join } from 'node:path';
import type { ClusterHandle } from '../cluster-handle.js';
import { DockerUnavailableError } from '../errors.js';
import { runChecked } from '../runner/execa-runner.js';
import type { Command, CommandResult, CommandRunner } from '../runner/command.js';
import { chooseCompose, type ComposeChoice } from './compose-choice.js';
import { dockerEnv, lastLine, reachedVia, type Host } from './docker-endpoint.js';
import { checkEngines } from './engine-check.js';
import { DOCKER_PS_FORMAT, parseDockerPs, type ContainerState } from './parse-ps.js';

/**
 * Docker Compose for one generated cluster: every call carries the project name, the host's
 * compose file and the cluster's .env, and reaches remote machines through DOCKER_HOST.
 */
export class ComposeClient {
  #compose: Promise<ComposeChoice> | undefined;

  constructor(
    private readonly runner: CommandRunner,
    private readonly cluster: ClusterHandle,
    /** Values to mask in anything recorded (all of .env). */
    private readonly secrets: readonly string[],
  ) {}

  /** The host running `service`; LB services repeat per machine ("nginx"), so they pass `hostName`. */
  hostOf(service: string, hostName?: string): Host {
    const hosts = this.cluster.manifest.hosts;
    const host = hostName ? hosts.find((h) => h.name === hostName) : hosts.find((h) => h.services.includes(service));
    if (!host) throw new Error(`service ${service} is on no host of the manifest`);
    return host;
  }

  /**
   * Every container of the project on every host (stopped ones too). The hosts are asked at
   * once: over ssh each call pays its own handshake, so one after the other `status` would wait
   * for the sum of them.
   */
  async ps(): Promise<ContainerState[]> {
    const perHost = await Promise.all(this.cluster.manifest.hosts.map(async (host) => (await this.psHost(host)).map((c) => ({ ...c, host: host.name }))));
    return perHost.flat();
  }

  /**
   * Deploy's pre-flight: this machine's Compose can read the cluster's files (see composeInUse),
   * then every host's engine answers (`docker version`), asked at once; throws
   * DockerUnavailableError naming each one that does not.
   */
  async checkEngines(): Promise<Map<string, string>> {
    await this.composeInUse();
    return checkEngines(this.runner, this.cluster.manifest.hosts, this.secrets);
  }

  /**
   * Which Compose runs this cluster, and why (`description`, for a progress line). Throws
   * before any Compose command when it cannot read the cluster's files (v1 and inline configs).
   */
  composeInUse(): Promise<ComposeChoice> {
    if (!this.#compose) {
      this.#compose = chooseCompose(this.runner, this.cluster);
      // not kept when it failed: a long-lived bot retries after Compose is installed
      this.#compose.catch(() => (this.#compose = undefined));
    }
    return this.#compose;
  }

  /** composeInUse's description, or why there is none: for status, which needs no Compose to report. */
  async describeCompose(): Promise<string> {
    return this.composeInUse().then(
      (c) => c.description,
      (error: unknown) => `none usable: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }

  /**
   * Like ps(), but a machine whose engine cannot be asked (dead, cut off, ssh refused) is a fact
   * to report, not an error: each of its services is listed with state `unreachable` and the
   * reason. What status, partitions and forget need when a machine is lost.
   */
  async psReachable(): Promise<ContainerState[]> {
    const { hosts } = this.cluster.manifest;
    const perHost = await Promise.all(
      hosts.map(async (host): Promise<ContainerState[]> => {
        try {
          return (await this.psHost(host)).map((c) => ({ ...c, host: host.name }));
        } catch (error) {
          // one engine for everything: it being gone is the whole answer, keep the error
          if (!(error instanceof DockerUnavailableError) || hosts.length === 1) throw error;
          return host.services.map((service) => ({ service, name: service, state: 'unreachable', health: '', host: host.name, unreachable: error.message }));
        }
      }),
    );
    return perHost.flat();
  }

  async up(host: Host): Promise<void> {
    await runChecked(this.runner, await this.command(host, ['up', '-d', '--remove-orphans'], 600_000), `compose up on ${host.name}`);
  }

  /** Runs a program inside a service's container; resolves with the result whatever the exit code. */
  async exec(service: string, argv: readonly string[], timeoutMs = 60_000, hostName?: string): Promise<CommandResult> {
    return this.runner.run(await this.command(this.hostOf(service, hostName), ['exec', '-T', service, ...argv], timeoutMs));
  }

  /** Like exec, with `input` on the program's stdin (definitions to import, say). */
  async execWithInput(service: string, argv: readonly string[], input: string, timeoutMs = 60_000): Promise<CommandResult> {
    return this.runner.run({ ...(await this.command(this.hostOf(service), ['exec', '-T', service, ...argv], timeoutMs)), input });
  }

  /**
   * A new container for one service from its compose file as it is now (a new image, say), every
   * other container left alone: `up --no-deps --force-recreate`, so it happens even when Compose
   * sees no difference (an upgrade resumed after the file was already written).
   */
  async recreate(service: string, hostName?: string): Promise<void> {
    await runChecked(this.runner, await this.command(this.hostOf(service, hostName), ['up', '-d', '--no-deps', '--force-recreate', service], 600_000), `compose up --force-recreate ${service}`);
  }

  /** `up -d --no-deps` for some services only (green's nodes before its load balancer), host by host. */
  async upServices(services: readonly string[]): Promise<void> {
    for (const [host, names] of this.byHost(services)) await runChecked(this.runner, await this.command(host, ['up', '-d', '--no-deps', ...names], 600_000), `compose up ${names.join(' ')}`);
  }

  /** `stop` some services (a load balancer handing over), host by host; the containers stay. */
  async stopServices(services: readonly string[], graceSeconds = 10): Promise<void> {
    for (const [host, names] of this.byHost(services)) await runChecked(this.runner, await this.command(host, ['stop', '-t', String(graceSeconds), ...names], 120_000), `compose stop ${names.join(' ')}`);
  }

  /** `down` on every host: containers and networks, and the named volumes (the data) with `volumes`. */
  async down(volumes: boolean): Promise<void> {
    for (const host of this.cluster.manifest.hosts) await runChecked(this.runner, await this.command(host, ['down', '--remove-orphans', ...(volumes ? ['--volumes'] : [])], 600_000), `compose down on ${host.name}`);
  }

  private byHost(services: readonly string[]): Map<Host, string[]> {
    const groups = new Map<Host, string[]>();
    for (const service of services) {
      const host = this.hostOf(service);
      groups.set(host, [...(groups.get(host) ?? []), service]);
    }
    return groups;
  }

  async restart(service: string): Promise<void> {
    await runChecked(this.runner, await this.command(this.hostOf(service), ['restart', service], 180_000), `compose restart ${service}`);
  }

  async logs(service: string, tail: number): Promise<string> {
    const result = await runChecked(this.runner, await this.command(this.hostOf(service), ['logs', '--no-color', '--tail', String(tail), service], 60_000), `compose logs ${service}`);
    return result.stdout;
  }

  /**
   * The project's containers on one machine, straight from the engine by the label Compose
   * puts on them: one docker CLI start instead of the Compose plugin's two (v1 and v2 alike).
   */
  private async psHost(host: Host): Promise<ContainerState[]> {
    const { project } = this.cluster.manifest;
    const r = await this.runner.run({
      file: 'docker',
      args: ['ps', '--all', '--no-trunc', '--filter', `label=com.docker.compose.project=${project}`, '--format', DOCKER_PS_FORMAT],
      timeoutMs: 30_000,
      env: dockerEnv(host),
    });
    if (r.exitCode !== 0 || r.timedOut) throw new DockerUnavailableError(psFailure(project, host, r));
    return parseDockerPs(r.stdout);
  }

  /** Runs a program in a container named by `ps` (no Compose start: the VIP check asks every LB at once). */
  async execInContainer(container: ContainerState, argv: readonly string[], timeoutMs: number): Promise<CommandResult> {
    const host = container.host ? this.cluster.manifest.hosts.find((h) => h.name === container.host) : undefined;
    return this.runner.run({ file: 'docker', args: ['exec', container.name, ...argv], timeoutMs, ...(host ? { env: dockerEnv(host) } : {}), secrets: this.secrets });
  }

  private async command(host: Host, args: readonly string[], timeoutMs: number): Promise<Command> {
    const { flavor } = await this.composeInUse();
    const { dir, manifest } = this.cluster;
    return {
      file: flavor.file,
      args: [...flavor.prefix, '-p', manifest.project, '-f', join(dir, host.composeFile), '--env-file', join(dir, manifest.envFile), ...args],
      timeoutMs,
      cwd: dir,
      env: dockerEnv(host),
      secrets: this.secrets,
    };
  }
}

/** One readable line: the engine being unreachable is the usual cause, so say how it was reached. */
function psFailure(project: string, host: Host, r: CommandResult): string {
  const text = (r.stderr || r.stdout).trim();
  const last = lastLine(text) ?? `exit ${r.exitCode}`;
  // ssh's own failures too (a dead or cut-off machine: no route, timeout; a refused key or host key)
  const unreachable = r.timedOut || /cannot connect|daemon|server API version|connection (refused|aborted|timed out)|no such file|permission denied|error during connect|no route to host|host key verification/i.test(text);
  return unreachable
    ? `cannot reach the Docker engine ${reachedVia(host)} to list the containers of ${project} (host ${host.name}); is Docker running and may this user use it? (${last.slice(0, 300)})`
    : `cannot list the containers of ${project} on ${host.name}${r.timedOut ? ' (timed out)' : ''}: ${last.slice(0, 300)}`;
}
