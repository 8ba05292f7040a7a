import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandRunner } from '../../../../ops/runner/command.js';
import { runChecked } from '../../../../ops/runner/execa-runner.js';
import { serverVersion } from '../docker.js';
import { unmountUnder } from '../mounts.js';
import { findProcessesInCgroup, isAlive, readPidFile, terminate } from '../processes.js';
import { tcpProbe } from '../../../../ops/net/tcp-probe.js';
import { ip, type Lan } from './lan.js';
import type { SshAccess } from './ssh-access.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface MachinePlace {
  name: string;
  /** Last octet of its LAN address. */
  hostNumber: number;
  /** Index on the bridge: names its veth (`rmqm<pid>v<index>`). */
  index: number;
}

/**
 * One "machine" on this box: a network namespace with its own dockerd (own data root, exec root,
 * socket and cgroup parent) and its own sshd, joined to the LAN bridge by a veth whose inside end
 * is eth0. The operator reaches it only as `ssh://root@<address>`; its engine's socket path is in
 * sshd's `SetEnv DOCKER_HOST`, so `docker system dial-stdio` on the far side finds it.
 *
 * Hard kill = power cut: every process of the machine gets SIGKILL at once (its namespace's and
 * its containers' cgroup), its network namespace is deleted (a reboot starts with a fresh network
 * stack), its disk (data root) stays. bringBack() boots it again: same address, same disk.
 */
export class Machine {
  readonly address: string;
  readonly netns: string;
  readonly veth: string;
  readonly sshUrl: string;
  private readonly dataRoot: string;
  private readonly runDir: string;
  private readonly cgroupParent: string;
  private hostKey = '';
  private booted = false;

  constructor(
    private readonly runner: CommandRunner,
    readonly place: MachinePlace,
    private readonly lan: Lan,
    private readonly ssh: SshAccess,
    /** rmqm<pid>: prefixes every name, folder and cgroup of this run. */
    private readonly runId: string,
    dirs: { data: string; run: string },
    private readonly storageDriver: string,
  ) {
    this.address = lan.address(place.hostNumber);
    this.netns = `${runId}-${place.name}`;
    this.veth = `${runId}v${place.index}`;
    this.sshUrl = `ssh://root@${this.address}`;
    this.dataRoot = join(dirs.data, place.name);
    this.runDir = join(dirs.run, place.name);
    this.cgroupParent = `/${runId}-${place.name}`;
  }

  /** Locally administered, from the address: 02:00:<a>:<b>:<c>:<d>. */
  get mac(): string {
    return `02:00:${this.address
      .split('.')
      .map((o) => Number(o).toString(16).padStart(2, '0'))
      .join(':')}`;
  }

  get name(): string {
    return this.place.name;
  }

  /** The engine's own socket, for the harness only (image loads, probes): the product goes through ssh. */
  get localDockerEnv(): Record<string, string> {
    return { DOCKER_HOST: `unix://${join(this.runDir, 'docker.sock')}` };
  }

  get isUp(): boolean {
    return this.booted;
  }

  async boot(): Promise<void> {
    mkdirSync(this.dataRoot, { recursive: true });
    // a reboot clears /run: a killed dockerd's containerd state must not survive into the next boot
    await unmountUnder(this.runner, this.runDir);
    await rm(this.runDir, { recursive: true, force: true });
    mkdirSync(this.runDir, { recursive: true });
    await this.plugIn();
    await this.startDockerd();
    await this.startSshd();
    this.booted = true;
  }

  /** The link down, as if its cable were pulled; processes carry on. */
  async cut(): Promise<void> {
    await ip(this.runner, ['link', 'set', this.veth, 'down']);
  }

  async reconnect(): Promise<void> {
    await ip(this.runner, ['link', 'set', this.veth, 'up']);
  }

  /** Power cut: returns the number of processes killed. */
  async hardKill(): Promise<number> {
    const pids = this.processes();
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await terminate(pids, 0).catch(() => undefined);
    await this.unplug();
    this.booted = false;
    return pids.length;
  }

  async bringBack(): Promise<void> {
    await this.boot();
  }

  /** Orderly shutdown for teardown: dockerd stops its containers, then whatever is left is killed. */
  async shutdown(): Promise<void> {
    const dockerd = readPidFile(join(this.runDir, 'dockerd.ssd.pid'));
    if (dockerd !== undefined && isAlive(dockerd)) await terminate([dockerd], 20_000).catch(() => undefined);
    await this.hardKill();
    await unmountUnder(this.runner, this.runDir);
    await unmountUnder(this.runner, this.dataRoot);
  }

  /** Everything the machine runs: its namespace's processes and its containers' (own netns, our cgroup). */
  processes(): number[] {
    const inNetns = existsSync(`/var/run/netns/${this.netns}`) ? netnsPids(this.netns) : [];
    return [...new Set([...inNetns, ...findProcessesInCgroup(`:${this.cgroupParent}/`)])];
  }

  private async plugIn(): Promise<void> {
    await ip(this.runner, ['netns', 'add', this.netns]);
    // the same MAC at every boot, as a real NIC keeps its own: the LAN's neighbour caches still
    // point at the old one when the machine comes back, and a new MAC would be unreachable until
    // they expire (sshd "listening" but not answering for 30 s or more)
    await ip(this.runner, ['link', 'add', this.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'address', this.mac, 'netns', this.netns]);
    await ip(this.runner, ['link', 'set', this.veth, 'master', this.lan.bridge, 'up']);
    await ip(this.runner, ['-n', this.netns, 'addr', 'add', `${this.address}/24`, 'dev', 'eth0']);
    await ip(this.runner, ['-n', this.netns, 'link', 'set', 'eth0', 'up']);
    await ip(this.runner, ['-n', this.netns, 'link', 'set', 'lo', 'up']);
    await ip(this.runner, ['-n', this.netns, 'route', 'add', 'default', 'via', this.lan.gateway]);
  }

  private async unplug(): Promise<void> {
    // deleting the namespace takes its end of the veth, and so the pair, with it
    if (existsSync(`/var/run/netns/${this.netns}`)) await this.runner.run({ file: 'ip', args: ['netns', 'del', this.netns], timeoutMs: 15_000 });
    // a killed dockerd leaves its containers' overlay mounts and netns files mounted
    await unmountUnder(this.runner, join(this.runDir, 'exec'));
    await unmountUnder(this.runner, this.dataRoot);
  }

  /**
   * `nsenter --net`, not `ip netns exec`: the latter remounts /sys for the namespace and hides
   * this box's cgroup v1 mounts, and dockerd then fails with "Devices cgroup isn't mounted".
   */
  private async daemon(label: string, program: string[]): Promise<number> {
    await runChecked(
      this.runner,
      {
        file: 'start-stop-daemon',
        args: [
          ...['--start', '--background', '--make-pidfile', '--pidfile', join(this.runDir, `${label}.ssd.pid`), '--output', join(this.runDir, `${label}.log`)],
          ...['--exec', '/usr/bin/nsenter', '--', `--net=/var/run/netns/${this.netns}`, ...program],
        ],
        timeoutMs: 15_000,
      },
      `starting ${label} on ${this.name}`,
    );
    const pid = readPidFile(join(this.runDir, `${label}.ssd.pid`));
    if (pid === undefined) throw new Error(`${label} on ${this.name} left no pid file`);
    return pid;
  }

  private async startDockerd(): Promise<void> {
    writeFileSync(join(this.runDir, 'daemon.json'), '{}\n');
    const pid = await this.daemon('dockerd', [
      '/usr/sbin/dockerd',
      ...['--data-root', this.dataRoot, '--exec-root', join(this.runDir, 'exec'), '--host', this.localDockerEnv.DOCKER_HOST!],
      ...['--pidfile', join(this.runDir, 'docker.pid'), '--config-file', join(this.runDir, 'daemon.json')],
      ...['--storage-driver', this.storageDriver, '--cgroup-parent', this.cgroupParent, '--log-level', 'warn', '--bridge=none'],
    ]);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (!isAlive(pid)) break;
      if (await serverVersion(this.runner, this.localDockerEnv)) return;
      await sleep(200);
    }
    throw new Error(`dockerd on ${this.name} did not come up: ${tail(join(this.runDir, 'dockerd.log'))}`);
  }

  private async startSshd(): Promise<void> {
    const hostKey = join(this.runDir, 'ssh_host_ed25519_key');
    if (!this.hostKey) {
      // the same host key across reboots, as on a real machine (known_hosts keeps one entry)
      await runChecked(this.runner, {
        file: 'ssh-keygen',
        args: ['-q', '-t', 'ed25519', '-N', '', '-f', join(this.dataRoot, 'ssh_host_ed25519_key')],
        timeoutMs: 15_000,
      });
      this.hostKey = readFileSync(join(this.dataRoot, 'ssh_host_ed25519_key.pub'), 'utf8');
      this.ssh.trust(this.address, this.hostKey);
    }
    writeFileSync(hostKey, readFileSync(join(this.dataRoot, 'ssh_host_ed25519_key')), { mode: 0o600 });
    writeFileSync(join(this.runDir, 'authorized_keys'), this.ssh.publicKey, { mode: 0o600 });
    writeFileSync(
      join(this.runDir, 'sshd_config'),
      [
        `ListenAddress ${this.address}:22`,
        `HostKey ${hostKey}`,
        `PidFile ${join(this.runDir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(this.runDir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        // the run's folders are not root-only all the way up
        'StrictModes no',
        'MaxStartups 100:30:200',
        'MaxSessions 100',
        // what `docker system dial-stdio` on this side uses: this machine's engine, not the box's
        `SetEnv DOCKER_HOST=${this.localDockerEnv.DOCKER_HOST}`,
        '',
      ].join('\n'),
    );
    // sshd refuses to start without its privilege separation directory
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    await this.daemon('sshd', ['/usr/sbin/sshd', '-D', '-e', '-f', join(this.runDir, 'sshd_config')]);
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (await tcpProbe(this.address, 22, 1000)) return;
      await sleep(100);
    }
    throw new Error(`sshd on ${this.name} does not answer on ${this.address}:22: ${tail(join(this.runDir, 'sshd.log'))}`);
  }
}

function netnsPids(netns: string): number[] {
  // `ip netns pids` reads /proc for processes whose net namespace is this one
  const target = netnsInode(`/var/run/netns/${netns}`);
  if (target === undefined) return [];
  const found: number[] = [];
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    if (netnsInode(`/proc/${entry}/ns/net`) === target) found.push(Number(entry));
  }
  return found;
}

function netnsInode(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function tail(file: string): string {
  if (!existsSync(file)) return 'no log';
  return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
}
