import type { CommandRunner } from '../../../../ops/runner/command.js';
import { runChecked } from '../../../../ops/runner/execa-runner.js';

/**
 * The LAN the test machines share: one Linux bridge in the root network namespace, with the
 * subnet's .1 on it so the root namespace (the operator's laptop, the clients) reaches every
 * machine. Everything is named after the run's pid (`rmqm<pid>…`), so a later run can tell a killed
 * run's leftovers from a live one's (machine-leftovers.ts).
 */
export interface Lan {
  bridge: string;
  /** First three octets, e.g. "10.251.37". */
  prefix: string;
  gateway: string;
  /** The machine's address for a host number (11, 21…). */
  address(host: number): string;
}

export const LAN_PREFIX = 'rmqm';

export function bridgeName(pid: number): string {
  return `${LAN_PREFIX}${pid}`;
}

/**
 * 10.251.<n>.0/24 with n from the pid, moved on while the root namespace already routes it
 * (another run, or a network of the machine's own).
 */
export async function createLan(runner: CommandRunner, pid = process.pid): Promise<Lan> {
  const routes = (await runner.run({ file: 'ip', args: ['-4', '-o', 'route', 'show'], timeoutMs: 10_000 })).stdout;
  let n = (pid % 200) + 20;
  while (routes.includes(`10.251.${n}.`)) n = n >= 250 ? 20 : n + 1;
  const prefix = `10.251.${n}`;
  const bridge = bridgeName(pid);
  await ip(runner, ['link', 'add', bridge, 'type', 'bridge']);
  await ip(runner, ['addr', 'add', `${prefix}.1/24`, 'dev', bridge]);
  await ip(runner, ['link', 'set', bridge, 'up']);
  await runChecked(runner, { file: 'iptables', args: ['-I', 'FORWARD', ...forwardRule(bridge)], timeoutMs: 15_000 }, 'letting the LAN bridge forward');
  return { bridge, prefix, gateway: `${prefix}.1`, address: (host) => `${prefix}.${host}` };
}

export async function removeLan(runner: CommandRunner, lan: Lan): Promise<void> {
  await runner.run({ file: 'iptables', args: ['-D', 'FORWARD', ...forwardRule(lan.bridge)], timeoutMs: 15_000 });
  await runner.run({ file: 'ip', args: ['link', 'del', lan.bridge], timeoutMs: 10_000 });
}

/**
 * With br_netfilter loaded (a Docker engine in the root namespace loads it), frames crossing any
 * bridge go through the root namespace's FORWARD chain, whose policy Docker sets to DROP: without
 * this rule the machines could reach the root namespace but not each other.
 */
export function forwardRule(bridge: string): string[] {
  return ['-i', bridge, '-o', bridge, '-j', 'ACCEPT'];
}

export async function ip(runner: CommandRunner, args: string[]): Promise<void> {
  await runChecked(runner, { file: 'ip', args, timeoutMs: 15_000 }, `ip ${args.join(' ')}`);
}
