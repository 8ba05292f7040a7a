import { cidrContains, formatCidr, notACidr, parseCidr, parseIpv4 } from '../ipv4.js';
import type { Rule } from './rule.js';

export const virtualIpIsCidr: Rule = (model, findings) => {
  const k = model.loadBalancer?.keepalived;
  if (!k) return;
  const cidr = parseCidr(k.virtualIp);
  if (!cidr || cidr.prefix > 32) {
    findings.error(`${k.path}.virtualIp`, notACidr(k.virtualIp));
    return;
  }
  if (cidr.address === cidr.network || cidr.address === cidr.network + cidr.size - 1) {
    if (cidr.prefix < 31)
      findings.error(
        `${k.path}.virtualIp`,
        `${k.virtualIp} is the network or broadcast address of ${formatCidr(cidr.network, cidr.prefix)}; pick a host address inside it`,
      );
  }
};

export const virtualRouterIdInRange: Rule = (model, findings) => {
  const k = model.loadBalancer?.keepalived;
  if (k && (k.virtualRouterId < 1 || k.virtualRouterId > 255)) {
    findings.error(
      `${k.path}.virtualRouterId`,
      `${k.virtualRouterId} is outside 1–255 (VRRP carries it in one byte); pick a number unique on this LAN, e.g. 51`,
    );
  }
};

/** Single host: nodes and LBs get fixed addresses in the subnet, and the VIP must sit there too. */
export const subnetFitsCluster: Rule = (model, findings) => {
  if (model.multiHost || !model.network.subnet) return;
  const path = model.network.subnetPath;
  const cidr = parseCidr(model.network.subnet);
  if (!cidr) {
    findings.error(path, notACidr(model.network.subnet, 'a subnet', '172.28.5.0/24'));
    return;
  }
  const taken = new Map<string, string>();
  for (const instance of model.loadBalancer?.instances ?? []) if (instance.address) taken.set(instance.address, instance.name);
  for (const node of model.nodes) if (node.address) taken.set(node.address, node.name);
  const last = Math.max(...[...taken.keys()].map((a) => parseIpv4(a) ?? 0));
  if (last >= cidr.network + cidr.size - 1) {
    findings.error(
      path,
      `${model.network.subnet} is too small for ${model.nodes.length} nodes and the load balancers (fixed addresses up to .${last % 256}); use a /24 or larger`,
    );
    return;
  }
  // Prometheus sits at the far end of the subnet, counting down from its last host address
  const prometheus = model.monitoring?.address;
  if (prometheus !== undefined && last >= (parseIpv4(prometheus) ?? 0)) {
    findings.error(
      path,
      `${model.network.subnet} is too small for ${model.nodes.length} nodes, the load balancers and Prometheus (at ${prometheus}); use a /24 or larger`,
    );
    return;
  }
  if (prometheus !== undefined) taken.set(prometheus, 'Prometheus');
  const k = model.loadBalancer?.keepalived;
  const vip = k ? parseCidr(k.virtualIp) : undefined;
  if (!k || !vip) return;
  if (!cidrContains(cidr, vip.address)) {
    findings.error(
      `${k.path}.virtualIp`,
      `${k.virtualIp} is outside the cluster network ${model.network.subnet}; on a single host the VIP lives on that network, so pick an address inside it or change network.subnet`,
    );
    return;
  }
  const clash = taken.get(k.virtualIp.split('/')[0]!);
  if (clash)
    findings.error(
      `${k.path}.virtualIp`,
      `${k.virtualIp} is the fixed address of ${clash}; pick another address in ${model.network.subnet} (the generator uses .2–.9 for load balancers and .10 upward for nodes)`,
    );
  else if (model.network.derived) {
    findings.warn(
      `${k.path}.virtualIp`,
      `on a single host the VIP floats on the cluster's Docker network ${model.network.subnet} (reachable from this machine only); if that range is your LAN, set network.subnet to a free range, or list the machines under hosts: to float the VIP on the LAN`,
    );
  }
};

export const timeoutsAboveHeartbeat: Rule = (model, findings) => {
  const lb = model.loadBalancer;
  if (!lb) return;
  const hb = model.rabbitmq.heartbeatSeconds;
  if (hb > 0 && lb.idleTimeoutSeconds <= hb) {
    findings.error(
      'loadBalancer.idleTimeout',
      `${lb.idleTimeout} is not above the AMQP heartbeat (${hb}s): nginx would cut idle connections between heartbeats; raise idleTimeout above ${hb}s or lower rabbitmq.heartbeat`,
    );
  }
  if (lb.listeners.some((l) => l.protocol === 'mqtt') && lb.idleTimeoutSeconds < 90) {
    findings.warn('loadBalancer.idleTimeout', `${lb.idleTimeout} with an MQTT listener: MQTT clients must use a keepalive below it (mqtt.js defaults to 60s)`);
  }
};

export const multiHostWithoutVip: Rule = (model, findings) => {
  const lb = model.loadBalancer;
  if (model.multiHost && lb && !lb.keepalived && lb.instances.length > 1) {
    findings.warn(
      'loadBalancer',
      `${lb.instances.length} load balancer hosts but no keepalived: clients must list every LB address; add loadBalancer.keepalived for one floating address`,
    );
  }
};
