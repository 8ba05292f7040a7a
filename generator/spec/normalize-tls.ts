import { isIPv4 } from 'node:net';
import { CONTAINER_PORTS, type NodePortName } from '../../contract/ports.js';
import { isCertificateDnsName } from '../../contract/tls/inputs.js';
import type { TlsModel } from './model.js';
import type { ListenerSpec, ParsedSpec } from './schema.js';

/**
 * Load balancer listeners when the spec lists none: AMQP and the management UI as before, and
 * with `tls:` their TLS twins (AMQPS 5671, HTTPS 15671) and MQTTS when the MQTT plugin is on;
 * the plain ones only while `disableNonTls` is false.
 */
export function defaultListeners(spec: ParsedSpec): ListenerSpec[] {
  const tls = spec.tls;
  // the load balancer listens on each protocol's own port, the one the nodes listen on too
  const on = <P extends ListenerSpec['protocol'] & NodePortName>(protocol: P) => ({ protocol, port: CONTAINER_PORTS[protocol] });
  if (!tls) return [on('amqp'), on('management')];
  const mqtt = spec.rabbitmq.plugins.includes('rabbitmq_mqtt');
  const secure: ListenerSpec[] = [on('amqps'), ...(tls.management ? [on('https')] : []), ...(mqtt ? [on('mqtts')] : [])];
  if (tls.disableNonTls) return secure;
  return [...secure, on('amqp'), on('management'), ...(mqtt ? [on('mqtt')] : [])];
}

/** What every node publishes besides its listeners' protocols: the TLS ports first, plain ones unless closed. */
export function tlsPorts(spec: ParsedSpec): NodePortName[] {
  const tls = spec.tls;
  if (!tls) return ['amqp', 'management'];
  const secure: NodePortName[] = ['amqps', ...(tls.management ? (['https'] as const) : [])];
  return tls.disableNonTls ? secure : [...secure, 'amqp', 'management'];
}

export function normalizeTls(spec: ParsedSpec): TlsModel | undefined {
  const t = spec.tls;
  if (!t) return undefined;
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  const badNames: TlsModel['badNames'] = [];
  t.names.forEach((value, i) => {
    if (isIPv4(value)) ipAddresses.push(value);
    else if (isCertificateDnsName(value)) dnsNames.push(value.toLowerCase());
    else badNames.push({ value, path: `tls.names[${i}]` });
  });
  const c = t.certificates;
  return {
    certificates: c === 'generate' ? { kind: 'generate' } : { kind: 'files', ca: c.ca, nodes: c.nodes, loadBalancer: c.loadBalancer },
    keyType: t.keyType,
    validDays: t.validDays,
    clients: t.clients,
    clientCertificates: t.clientCertificates,
    disableNonTls: t.disableNonTls,
    management: t.management,
    interNode: t.interNode,
    dnsNames,
    ipAddresses,
    badNames,
    path: 'tls',
  };
}
