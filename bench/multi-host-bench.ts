import { execa } from 'execa';
import { CLI } from '../test/helpers/cli.js';
import { setupE2e } from '../test/e2e/harness/e2e-env.js';
import { openGeneratedCluster } from '../test/e2e/harness/generated-cluster.js';
import { startMachines, THREE_BROKERS_TWO_LBS } from '../test/e2e/harness/machines/machine-set.js';
import { vipHolders } from '../test/e2e/harness/machines/machine-probes.js';
import { multiHostSpec, openMultiHostCluster } from '../test/e2e/harness/machines/multi-host-cluster.js';
import { scenarioSpec } from '../test/e2e/harness/scenario-spec.js';

/**
 * The 3 broker + 2 LB cluster deployed from the root namespace over ssh onto five machines (own
 * dockerd and sshd each), against the same cluster (3 nodes, 2 nginx + keepalived, a VIP) on one
 * engine, both by `rmq-compose deploy` as a whole process, in the same run; then the VIP failover
 * after a hard kill of the MASTER LB machine, against keepalived's advert interval (0.5 s).
 * Needs root (namespaces, dockerd); subnet 172.30.203.0/24 and host ports 33000+ for the one-engine run.
 */
export async function benchMultiHostLines(): Promise<string[]> {
  if (process.getuid?.() !== 0) return ['skipped: needs root for network namespaces and private Docker engines'];
  try {
    const h = await setupE2e();
    try {
      const single = await deployOneEngine(h);
      const multi = await deployOverSsh(h);
      return [
        `deploy, one engine (3 nodes + 2 LBs, VIP)          ${single.toFixed(0).padStart(7)} ms  = 1.00x baseline`,
        `deploy over ssh onto 5 machines (3 + 2, VIP)     ${multi.deployMs.toFixed(0).padStart(7)} ms  = ${(multi.deployMs / single).toFixed(2)}x one engine`,
        `status over ssh (5 engines, whole process)       ${multi.statusMs.toFixed(0).padStart(7)} ms`,
        `VIP on the other LB after its machine's hard kill ${multi.failoverMs.toFixed(0).padStart(7)} ms  = ${(multi.failoverMs / 500).toFixed(1)}x the 0.5 s advert interval`,
      ];
    } finally {
      await h.engine.stop();
    }
  } catch (error) {
    return [`failed: ${error instanceof Error ? error.message.split('\n').slice(0, 3).join(' / ') : String(error)}`];
  }
}

async function deployOneEngine(h: Awaited<ReturnType<typeof setupE2e>>): Promise<number> {
  const spec = scenarioSpec({
    name: 'bench-one-engine',
    image: h.images.v4.ref,
    version: h.images.v4.rabbitmqVersion ?? '4.0.5',
    nodes: 3,
    listeners: [
      { protocol: 'amqp', port: 33672 },
      { protocol: 'mqtt', port: 33883 },
    ],
    keepalived: { virtualRouterId: 93 },
    subnet: 203,
    portBase: 33000,
  });
  const cluster = await openGeneratedCluster('bench-one-engine', spec, h.env, h.runner);
  try {
    const t0 = performance.now();
    const r = await execa('node', [CLI, 'deploy', '-d', cluster.clusterDir, '--yes'], {
      env: { ...process.env, ...h.env },
      reject: false,
      timeout: 600_000,
      stdin: 'ignore',
    });
    const ms = performance.now() - t0;
    if (r.exitCode !== 0) throw new Error(`one-engine deploy failed: ${String(r.stderr).split('\n')[0]}`);
    return ms;
  } finally {
    await cluster.down();
  }
}

async function deployOverSsh(h: Awaited<ReturnType<typeof setupE2e>>): Promise<{ deployMs: number; statusMs: number; failoverMs: number }> {
  const set = await startMachines(h, THREE_BROKERS_TWO_LBS, [h.images.v4.ref]);
  try {
    const spec = multiHostSpec(
      {
        name: 'bench-mh',
        image: h.images.v4.ref,
        version: h.images.v4.rabbitmqVersion ?? '4.0.5',
        formation: 'auto',
        nodes: [1, 2, 3].map((n) => ({ name: `rabbit${n}`, type: 'disc' as const, machine: `mq${n}` })),
        loadBalancers: ['lb1', 'lb2'],
        virtualRouterId: 95,
      },
      set,
    );
    const cluster = await openMultiHostCluster(h, set, spec);
    try {
      const deploy = await cluster.cli(['deploy', '-d', cluster.dir, '--yes']);
      if (deploy.exitCode !== 0) throw new Error(`deploy over ssh failed: ${deploy.stderr.split('\n')[0]}`);
      await cluster.cli(['status', '-d', cluster.dir]);
      const status = await cluster.cli(['status', '-d', cluster.dir]);
      const lbs = ['lb1', 'lb2'];
      let holder: string | undefined;
      for (let i = 0; i < 300 && !holder; i++) {
        const now = await vipHolders(h.runner, set, lbs, cluster.vip);
        if (now.length === 1) holder = now[0];
        else await new Promise((resolve) => setTimeout(resolve, 200));
      }
      if (!holder) throw new Error('no single VIP holder after deploy');
      const other = lbs.find((l) => l !== holder)!;
      const t0 = performance.now();
      await set.get(holder).hardKill();
      while ((await vipHolders(h.runner, set, lbs, cluster.vip)).join() !== other) {
        if (performance.now() - t0 > 60_000) throw new Error('the VIP did not move within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return { deployMs: deploy.ms, statusMs: status.ms, failoverMs: performance.now() - t0 };
    } finally {
      await cluster.close();
    }
  } finally {
    await set.destroy();
  }
}
