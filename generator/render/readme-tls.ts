import type { ClusterModel } from '../spec/model.js';

/** The generated README's TLS section: what clients trust, where TLS ends, what is closed. */
export function tlsText(model: ClusterModel): string | null {
  const t = model.tls;
  if (!t) return null;
  const lines = [
    '## TLS',
    '',
    `- Clients trust \`tls/ca.pem\` (${t.certificates.kind === 'generate' ? 'the cluster CA rmq-compose generated; its key `tls/ca.key` stays in this folder and is mounted nowhere' : 'your CA, from tls.certificates.ca'}) and connect with \`amqps://\`${model.rabbitmq.plugins.includes('rabbitmq_mqtt') ? ' or `mqtts://`' : ''}.`,
    t.clients === 'passthrough'
      ? '- nginx passes TLS through: each broker ends it with its own certificate, which carries the names clients dial (the VIP and `tls.names`).'
      : '- nginx ends TLS with its own certificate (`tls/lb.pem`) and opens a new TLS connection to a broker, checking its certificate against the CA.',
    `- ${t.disableNonTls ? 'No plain listener: AMQP 5672, MQTT 1883 and management 15672 are closed on every node.' : 'Plain AMQP and management stay open beside TLS (tls.disableNonTls: false).'}`,
    `- ${t.management ? 'Management UI and HTTP API over HTTPS on 15671.' : 'No management HTTPS listener (tls.management: false).'}`,
    `- ${t.interNode ? 'Inter-node traffic and CLI tools use TLS (`rabbitmq/inter_node_tls.config`); epmd (4369) stays plain and carries no data.' : 'Inter-node traffic (25672) is not encrypted (tls.interNode: false).'}`,
    `- Keys are mode 0600 and git-ignored. New certificates without an outage: \`rmq-compose rotate-certs\`${t.certificates.kind === 'generate' ? '; a new CA: `rotate-certs --new-ca`, then `rotate-certs`, then `rotate-certs --retire-previous-ca`' : ' after replacing your files'}.`,
  ];
  return lines.join('\n');
}
