import type { GeneratedCluster } from './generated-cluster.js';
import { waitBooted } from './cluster-probes.js';

/**
 * The seed's manual join and the spec's policies as bare rabbitmqctl calls (the README's steps).
 * Scenario 1 runs the ops core's real `deploy` instead (ops-deploy.ts); these stay for the bench,
 * which times the join procedure itself without deploy's healthcheck waits, and for scenarios that
 * only need a policy.
 */
export async function joinLikeSeed(cluster: GeneratedCluster): Promise<void> {
  const [first, ...others] = cluster.model.nodes;
  await waitBooted(cluster, first!.name);
  for (const node of others) {
    await waitBooted(cluster, node.name);
    const ctl = async (...args: string[]) => {
      const result = await cluster.exec(node.name, ['rabbitmqctl', ...args], 120_000);
      if (result.exitCode !== 0) throw new Error(`${node.name}: rabbitmqctl ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
    };
    await ctl('stop_app');
    await ctl('reset');
    await ctl('join_cluster', ...(node.type === 'ram' ? ['--ram'] : []), first!.erlangNode);
    await ctl('start_app');
  }
}

export async function applyPolicies(cluster: GeneratedCluster): Promise<void> {
  const via = cluster.model.nodes[0]!.name;
  for (const p of cluster.model.policies) {
    const args = ['set_policy', '-p', p.vhost, '--apply-to', p.applyTo, '--priority', String(p.priority), p.name, p.pattern, JSON.stringify(p.definition)];
    const result = await cluster.exec(via, ['rabbitmqctl', ...args]);
    if (result.exitCode !== 0) throw new Error(`set_policy ${p.name} failed: ${result.stderr || result.stdout}`);
  }
}
