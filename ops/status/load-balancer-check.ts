import type { ClusterServices } from '../ops-tools.js';
import type { ContainerState } from '../compose/parse-ps.js';
import type { ListenerStatus, StatusData } from './status-view.js';

const PROBE_MS = 1_500;

/**
 * Each LB listener probed by TCP at each instance and at the VIP, and which keepalived holds the
 * VIP (`ip -o addr` inside it). Where to connect: a single local host with published ports →
 * 127.0.0.1; with keepalived (nothing published) or on other machines → the instance address.
 */
export async function checkLoadBalancer(s: ClusterServices, containers: readonly ContainerState[]): Promise<StatusData['loadBalancer']> {
  const { manifest } = s.cluster;
  const lb = manifest.loadBalancer;
  if (!lb) return undefined;
  const targets: Array<{ instance: string; address: string }> = [];
  for (const inst of lb.instances) {
    const host = manifest.hosts.find((h) => h.name === inst.host);
    const local = manifest.hosts.length === 1 && !host?.docker;
    const address = local && !inst.keepalivedService ? '127.0.0.1' : (inst.address ?? host?.address);
    if (address) targets.push({ instance: inst.name, address });
  }
  const vip = lb.virtualIp?.split('/')[0];
  if (vip) targets.push({ instance: 'VIP', address: vip });
  const probes = targets.flatMap((t) => lb.listeners.map((l) => ({ ...t, protocol: l.protocol, port: l.port })));
  const holders = vip && lb.instances.some((i) => i.keepalivedService) ? vipHolders(s, containers, vip) : undefined;
  const listeners: ListenerStatus[] = await Promise.all(
    probes.map(async (p) => ({
      instance: p.instance,
      protocol: p.protocol,
      port: p.port,
      address: p.address,
      reachable: await s.tools.probe(p.address, p.port, PROBE_MS),
    })),
  );
  if (!holders) return { listeners };
  const vipHolderNames = await holders;
  return { listeners, vipHolder: vipHolderNames[0] ?? null, vipHolders: vipHolderNames };
}

/** Every instance whose keepalived has the VIP on an interface (all asked at once): one, normally. */
async function vipHolders(s: ClusterServices, containers: readonly ContainerState[], vip: string): Promise<string[]> {
  const running = (s.cluster.manifest.loadBalancer?.instances ?? []).flatMap((inst) => {
    const container = containers.find((c) => c.service === inst.keepalivedService && c.host === inst.host && c.state === 'running');
    return container ? [{ inst, container }] : [];
  });
  const answers = await Promise.all(
    running.map(async ({ container }) => {
      const r = await s.compose.execInContainer(container, ['ip', '-o', 'addr'], 15_000);
      return r.exitCode === 0 && holdsAddress(r.stdout, vip);
    }),
  );
  return running.filter((_, i) => answers[i]).map(({ inst }) => inst.name);
}

/**
 * Does `ip -o addr` list `address`? One line per address, e.g.
 * "141: eth0    inet 172.30.200.100/24 scope global secondary eth0\       valid_lft …".
 */
export function holdsAddress(ipOutput: string, address: string): boolean {
  return ipOutput.split('\n').some((line) => new RegExp(`\\sinet ${address.replace(/\./g, '\\.')}/\\d+\\s`).test(line));
}
