import type { CommandRunner } from '../runner/command.js';
import { runChecked } from '../runner/execa-runner.js';

/**
 * A Docker network joining blue's and green's node containers while messages move, so green's
 * shovels reach blue's nodes by address. Each cluster keeps its own network for everything else:
 * Docker isolates bridge networks from each other, and sharing one would mix their node names
 * (both have a rabbit1). Only this network's addresses are used, and it is removed afterwards.
 */
export class LinkNetwork {
  constructor(
    private readonly runner: CommandRunner,
    readonly name: string,
    private readonly env: Record<string, string> | undefined,
  ) {}

  private docker(args: string[], what: string, timeoutMs = 60_000) {
    return runChecked(this.runner, { file: 'docker', args, timeoutMs, ...(this.env ? { env: this.env } : {}) }, what);
  }

  async create(label: string): Promise<void> {
    const exists = await this.runner.run({
      file: 'docker',
      args: ['network', 'inspect', '--format', '{{.Id}}', this.name],
      timeoutMs: 30_000,
      ...(this.env ? { env: this.env } : {}),
    });
    if (exists.exitCode === 0) return;
    await this.docker(['network', 'create', '--label', `io.rmq-compose.migration=${label}`, this.name], `docker network create ${this.name}`);
  }

  /** Connects the container (once) and returns its address on this network. */
  async connect(container: string): Promise<string> {
    let address = await this.addressOf(container);
    if (!address) {
      await this.docker(['network', 'connect', this.name, container], `docker network connect ${this.name} ${container}`);
      address = await this.addressOf(container);
    }
    if (!address) throw new Error(`${container} has no address on ${this.name} after docker network connect`);
    return address;
  }

  async addressOf(container: string): Promise<string | undefined> {
    const r = await this.docker(
      ['inspect', '--format', `{{with index .NetworkSettings.Networks "${this.name}"}}{{.IPAddress}}{{end}}`, container],
      `docker inspect ${container}`,
    );
    return r.stdout.trim() || undefined;
  }

  /** Disconnects every container still on it and removes it; nothing to do when it is gone. */
  async remove(): Promise<void> {
    const r = await this.runner.run({
      file: 'docker',
      args: ['network', 'inspect', '--format', '{{range $id, $c := .Containers}}{{$c.Name}} {{end}}', this.name],
      timeoutMs: 30_000,
      ...(this.env ? { env: this.env } : {}),
    });
    if (r.exitCode !== 0) return;
    for (const container of r.stdout.trim().split(/\s+/).filter(Boolean))
      await this.docker(['network', 'disconnect', '--force', this.name, container], `docker network disconnect ${container}`);
    await this.docker(['network', 'rm', this.name], `docker network rm ${this.name}`);
  }
}
