import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { CLI } from '../test/helpers/cli.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { formatRatio, timeProcess } from './measure.js';

/** A 50-node single-host cluster: ports and addresses for every node, one LB pair with a VIP. */
function fiftyNodeSpec(): string {
  return stringify({
    name: 'fifty',
    rabbitmq: { image: 'rabbitmq:4.3-management' },
    nodes: 51,
    network: { subnet: '172.30.0.0/24' },
    loadBalancer: {
      listeners: [
        { protocol: 'amqp', port: 5672 },
        { protocol: 'mqtt', port: 1883 },
      ],
      keepalived: { virtualIp: '172.30.0.250/24', virtualRouterId: 60 },
    },
  });
}

/** `rmq-compose gen` as a whole process, against `node -e 0` measured in the same run. */
export async function benchGen(runs = 15): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'rmq-bench-'));
  try {
    await writeFile(join(dir, 'fifty.yaml'), fiftyNodeSpec());
    const env = { PATH: process.env.PATH ?? '', HOME: dir };
    const baseline = await timeProcess('node -e 0', 'node', ['-e', '0'], { cwd: dir, runs, env });
    const seed = await timeProcess('rmq-compose gen (seed spec)', 'node', [CLI, 'gen', '-o', 'out-seed'], { cwd: dir, runs, env });
    const fifty = await timeProcess('rmq-compose gen (51-node spec)', 'node', [CLI, 'gen', '-f', 'fifty.yaml', '-o', 'out-fifty'], { cwd: dir, runs, env });
    const check = await timeProcess('rmq-compose gen --check (seed spec)', 'node', [CLI, 'gen', '--check', '-o', 'out-seed'], { cwd: dir, runs, env });
    const help = await timeProcess('rmq-compose --help', 'node', [CLI, '--help'], { cwd: dir, runs, env });
    return [
      `baseline: node -e 0 median ${baseline.medianMs.toFixed(1)} ms over ${runs} runs`,
      formatRatio(seed, baseline),
      formatRatio(fifty, baseline),
      formatRatio(check, baseline),
      formatRatio(help, baseline),
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
