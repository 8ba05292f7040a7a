import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One scripted answer: when every word of `has` is among the arguments (or `first` is the first), print `stdout`. */
export interface FakeDockerReply {
  has?: readonly string[];
  first?: string;
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

/**
 * A `docker` for the built CLI to find first on PATH: a node script that answers as scripted
 * (the first reply that matches), fails anything else as an engine without those containers
 * would, and appends each call's arguments to `<dir>/docker-calls`. Returns the folder to put
 * before PATH.
 */
export async function writeFakeDocker(dir: string, replies: readonly FakeDockerReply[]): Promise<{ bin: string; calls: string }> {
  const bin = join(dir, 'bin');
  const calls = join(dir, 'docker-calls');
  await mkdir(bin, { recursive: true });
  const script = `#!/usr/bin/env node
const a = process.argv.slice(2);
require('node:fs').appendFileSync(${JSON.stringify(calls)}, a.join(' ') + '\\n');
const replies = ${JSON.stringify(replies)};
const reply = replies.find((r) => (r.first === undefined || a[0] === r.first) && (r.has ?? []).every((w) => a.includes(w)));
if (reply) {
  process.stdout.write(reply.stdout ?? '');
  process.stderr.write(reply.stderr ?? '');
  process.exit(reply.exitCode ?? 0);
}
process.stderr.write('fake docker: not scripted\\n');
process.exit(1);
`;
  await writeFile(join(bin, 'docker'), script);
  await chmod(join(bin, 'docker'), 0o755);
  return { bin, calls };
}

const R = (n: number) => `rabbit@rabbit${n}`;

/** `ps` and `cluster_status` of three running nodes of the seed (project seed), on `version`, rabbit2 and rabbit3 RAM nodes or not. */
export function threeRunningNodes(version: string, o: { ramNodes: boolean }): FakeDockerReply[] {
  const ps = [1, 2, 3]
    .map((n) => JSON.stringify({ name: `seed-rabbit${n}-1`, state: 'running', status: 'Up 1 minute (healthy)', service: `rabbit${n}` }))
    .join('\n');
  const clusterStatus = JSON.stringify({
    alarms: [],
    cluster_name: R(1),
    disk_nodes: o.ramNodes ? [R(1)] : [R(1), R(2), R(3)],
    ram_nodes: o.ramNodes ? [R(2), R(3)] : [],
    running_nodes: [R(1), R(2), R(3)],
    partitions: {},
    maintenance_status: Object.fromEntries([1, 2, 3].map((n) => [R(n), 'not under maintenance'])),
    versions: Object.fromEntries([1, 2, 3].map((n) => [R(n), { rabbitmq_name: 'RabbitMQ', rabbitmq_version: version, erlang_version: '26.2' }])),
  });
  return [
    { has: ['version'], stdout: '2.26.1\n' },
    { first: 'ps', stdout: `${ps}\n` },
    { has: ['cluster_status'], stdout: clusterStatus },
  ];
}
