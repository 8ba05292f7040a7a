import { parse } from 'yaml';

/** A host port as the generated files show it, read back from them (not from the model). */
export interface PublishedPort {
  /** The machine's folder: '' on one machine, `hosts/<name>/` across machines. */
  folder: string;
  service: string;
  /** undefined: every interface. */
  address: string | undefined;
  port: number;
}

interface ComposeService {
  ports?: string[];
  network_mode?: string;
}

/**
 * Every host port of every generated compose file: its `ports:` entries, and the `listen` ports
 * of nginx.conf for a service on the machine's network (nginx with `network_mode: host`, which
 * binds them itself on every interface).
 */
export function publishedPorts(files: ReadonlyArray<{ path: string; contents: string }>): PublishedPort[] {
  const byPath = new Map(files.map((f) => [f.path, f.contents]));
  const found: PublishedPort[] = [];
  for (const [path, contents] of byPath) {
    if (!path.endsWith('docker-compose.yml')) continue;
    const folder = path.slice(0, -'docker-compose.yml'.length);
    const services = (parse(contents) as { services: Record<string, ComposeService> }).services;
    for (const [service, s] of Object.entries(services)) {
      for (const entry of s.ports ?? []) {
        const parts = entry.split(':');
        found.push({ folder, service, address: parts.length === 3 ? parts[0] : undefined, port: Number(parts[parts.length - 2]) });
      }
      if (s.network_mode === 'host' && service === 'nginx') {
        const nginx = byPath.get(`${folder}nginx/nginx.conf`) ?? '';
        for (const m of nginx.matchAll(/^\s*listen (\d+)/gm)) found.push({ folder, service, address: undefined, port: Number(m[1]) });
      }
    }
  }
  return found;
}

/** Pairs Docker could not both bind: one machine, one port, and every interface on either side or one address on both. */
export function doublyPublished(ports: readonly PublishedPort[]): Array<[PublishedPort, PublishedPort]> {
  const pairs: Array<[PublishedPort, PublishedPort]> = [];
  ports.forEach((a, i) => {
    for (const b of ports.slice(i + 1)) {
      if (a.folder === b.folder && a.port === b.port && (a.address === undefined || b.address === undefined || a.address === b.address)) pairs.push([a, b]);
    }
  });
  return pairs;
}
