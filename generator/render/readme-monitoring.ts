import type { ClusterModel } from '../spec/model.js';
import { carriesFilesInline } from './compose/file-delivery.js';
import { alertRules } from './prometheus/alert-rules.js';
import { prometheusJobs } from './prometheus/prometheus-layout.js';
import { raftTermMetric } from './prometheus/rabbitmq-metrics.js';

/** What the cluster README says of Prometheus, or null without monitoring. */
export function monitoringText(model: ClusterModel) {
  const m = model.monitoring;
  const host = model.hosts.find((h) => h.name === m?.host);
  if (!m || !host) return null;
  const where = {
    'single-host': `on this machine, on the cluster network at ${m.address}`,
    marked: `on ${host.name} (${host.address}), the host marked \`monitoring: true\``,
    'first-load-balancer': `on ${host.name} (${host.address}), the first load-balancer host (no broker runs there; mark another host \`monitoring: true\` to move it)`,
    none: '',
  }[m.placement];
  const raft = raftTermMetric(model.rabbitmq.version) !== undefined;
  return {
    image: m.image,
    where,
    url: `http://${m.publishAddress}:${m.port}/`,
    exposure: model.multiHost
      ? `so keep ${host.address}:${m.port} off public networks: whoever reaches it reads every metric.`
      : `so its port is published on 127.0.0.1 only (from another machine: \`ssh -L ${m.port}:127.0.0.1:${m.port} <this machine>\`).`,
    scrapeInterval: m.scrapeInterval,
    retention: m.retention,
    jobs: prometheusJobs(model),
    raft,
    folder: model.multiHost ? `hosts/${host.name}/` : '',
    alerts: alertRules(model).map((a) => ({ alert: a.alert, severity: a.labels.severity, when: a.readme.when, action: a.readme.action })),
    quorumNote: raft
      ? 'RabbitmqQuorumQueueNoMajority is derived (no metric states a queue’s members): it counts the nodes that report a member of each queue against the most it had in the last 24 hours.'
      : `RabbitMQ ${model.rabbitmq.version.text} gives its Raft metrics no queue label, so quorum queues are watched through the node count only (RabbitmqClusterMajorityDown).`,
    reload: carriesFilesInline(model, host)
      ? '`rmq-compose deploy` recreates Prometheus with them (its compose file carries them).'
      : `\`docker compose -p ${model.project} restart prometheus\` on ${model.multiHost ? host.name : 'this machine'} makes it read them.`,
  };
}
