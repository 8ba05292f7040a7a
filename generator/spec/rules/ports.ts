import { hostPorts, type HostPort } from '../../render/host-ports.js';
import type { Rule } from './rule.js';

/** Which side of a clash is reported: the later one here, the easier one to move (a node's own port before Prometheus before a listener). */
const RANK: Readonly<Record<HostPort['kind'], number>> = { fixed: 0, listener: 1, prometheus: 2, node: 3 };

/** Docker cannot bind one port twice on a machine: 0.0.0.0 takes it on every address, so it overlaps any other. */
const overlap = (a: HostPort, b: HostPort) => a.address === undefined || b.address === undefined || a.address === b.address;
const bound = (p: HostPort) => (p.address === undefined ? 'on every interface' : `on ${p.address}`);

/** Two uses of one port on one machine that Docker (or nginx) cannot both have: `use` is the one to report. */
export interface PortClash {
  use: HostPort;
  other: HostPort;
}

/**
 * The clashes among a machine's host ports, each once: a port used twice on one machine where
 * one of them is bound to every interface or both to the same address. A clash between two ports
 * the spec cannot move (two nodes' epmd on one machine) is left to hostsAreValid, which says why.
 */
export function portClashes(uses: readonly HostPort[]): PortClash[] {
  const byHostPort = new Map<string, HostPort[]>();
  for (const use of uses) {
    const key = `${use.host}\0${use.port}`;
    byHostPort.set(key, [...(byHostPort.get(key) ?? []), use]);
  }
  const clashes: PortClash[] = [];
  for (const same of byHostPort.values()) {
    const ranked = [...same].sort((a, b) => RANK[a.kind] - RANK[b.kind]);
    ranked.forEach((use, i) => {
      const other = ranked.slice(0, i).find((earlier) => overlap(earlier, use) && !(earlier.kind === 'fixed' && use.kind === 'fixed'));
      if (other) clashes.push({ use, other });
    });
  }
  return clashes;
}

/**
 * Every host port the compose files publish, or a service on a machine's network listens on
 * (render/host-ports.ts, the list the renderer writes them from), at most once per machine and
 * address, with both places in the spec named.
 */
export const portsUniquePerHost: Rule = (model, findings) => {
  const reported = new Set<string>();
  for (const { use, other } of portClashes(hostPorts(model))) {
    // a listener is published on every load-balancer machine: one finding, not one per machine
    const key = `${use.path}\0${other.path}\0${use.port}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const where = model.multiHost ? `host "${use.host}"` : 'this machine';
    const fix = other.kind === 'fixed' ? `pick another port for ${use.path}` : 'pick another port for one of them';
    findings.error(use.path, `port ${use.port} (${use.what} ${bound(use)}) is also ${other.path} (${other.what} ${bound(other)}) on ${where}; ${fix}`);
  }
};

export const listenerPortsUnique: Rule = (model, findings) => {
  const seen = new Map<string, string>();
  for (const listener of model.loadBalancer?.listeners ?? []) {
    const key = `${listener.protocol}`;
    if (seen.has(key))
      findings.error(`${listener.path}.protocol`, `a second ${listener.protocol} listener; one listener per protocol (already at ${seen.get(key)})`);
    else seen.set(key, listener.path);
  }
};

/**
 * `network.openNodePorts` widens the single-machine default (127.0.0.1). With `hosts:` each node
 * already publishes on its machine's address, and every interface there would also expose epmd
 * and the distribution port; saying it is a mistake, not a wish to honour silently.
 */
export const openNodePortsOnOneMachine: Rule = (model, findings) => {
  if (!model.multiHost || !model.network.openNodePorts) return;
  findings.error(
    'network.openNodePorts',
    "with hosts:, each node publishes its ports on its machine's address (hosts[].address), which other machines reach; remove network.openNodePorts",
  );
};
