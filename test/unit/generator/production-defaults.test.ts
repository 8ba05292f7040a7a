import { parse } from 'yaml';
import { planCluster } from '../../../generator/plan.js';
import { loadSpec } from '../../../generator/spec/load-spec.js';
import { formatMemory, memoryBytes } from '../../../generator/spec/memory-size.js';
import { formatFinding } from '../../../lib/findings.js';
import { specText } from '../../helpers/spec-text.js';

interface Service {
  volumes?: string[];
  mem_limit?: number;
  memswap_limit?: number;
  logging?: { driver: string; options: Record<string, string> };
  healthcheck?: { test: string[] };
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const DAY = { today: '2024-06-01' };

function generated(patch: Record<string, unknown>): Map<string, string> {
  const plan = planCluster(specText(patch), 'spec.yaml');
  return new Map(plan.files.map((f) => [f.path, f.contents]));
}
const composeOf = (files: Map<string, string>, path = 'docker-compose.yml') => parse(files.get(path)!) as Compose;
const alarmLine = (files: Map<string, string>, node: string, prefix = '') =>
  files
    .get(`${prefix}rabbitmq/memory-${node}.conf`)!
    .split('\n')
    .find((l) => l.startsWith('vm_memory_high_watermark'));

describe('memory: a limit per node and the alarm set to match it', () => {
  test('without resources.memory the nodes on one machine split it: 0.6 / 3 each, no container limit', () => {
    const files = generated({});
    for (const node of ['rabbit1', 'rabbit2', 'rabbit3']) {
      expect(alarmLine(files, node)).toBe('vm_memory_high_watermark.relative = 0.2');
      expect(composeOf(files).services[node]!.mem_limit).toBeUndefined();
      expect(composeOf(files).services[node]!.volumes).toContain(`./rabbitmq/memory-${node}.conf:/etc/rabbitmq/conf.d/30-rmq-compose-memory.conf:ro`);
    }
    // one place only: rabbitmq.conf no longer says a relative watermark that the node file would contradict
    expect(files.get('rabbitmq/rabbitmq.conf')).not.toMatch(/^vm_memory_high_watermark/m);
  });

  test('resources.memory limits every node, a node may set its own; the alarm is absolute, a share of the limit; no swap beyond it', () => {
    const files = generated({
      resources: { memory: '2g' },
      rabbitmq: { image: 'rabbitmq:3.13-management', memoryHighWatermark: 0.5 },
      nodes: [{ name: 'rabbit1' }, { name: 'rabbit2', resources: { memory: '1536m' } }, { name: 'rabbit3' }],
    });
    const services = composeOf(files).services;
    expect(services['rabbit1']).toMatchObject({ mem_limit: 2 * 1024 ** 3, memswap_limit: 2 * 1024 ** 3 });
    expect(services['rabbit2']).toMatchObject({ mem_limit: 1536 * 1024 ** 2, memswap_limit: 1536 * 1024 ** 2 });
    expect(alarmLine(files, 'rabbit1')).toBe(`vm_memory_high_watermark.absolute = ${1024 ** 3}`);
    expect(alarmLine(files, 'rabbit2')).toBe(`vm_memory_high_watermark.absolute = ${768 * 1024 ** 2}`);
    expect(files.get('rabbitmq/memory-rabbit2.conf')).toContain('limited to 1536m (nodes[1].resources.memory)');
  });

  test('across machines (one node each) a node has its machine to itself; a machine carries only its own node’s file', () => {
    const files = generated({
      nodes: ['rabbit1', 'rabbit2'],
      hosts: [
        { name: 'a', address: '10.0.0.1', nodes: ['rabbit1'], loadBalancer: true },
        { name: 'b', address: '10.0.0.2', nodes: ['rabbit2'] },
      ],
    });
    expect(alarmLine(files, 'rabbit1', 'hosts/a/')).toBe('vm_memory_high_watermark.relative = 0.6');
    expect(alarmLine(files, 'rabbit2', 'hosts/b/')).toBe('vm_memory_high_watermark.relative = 0.6');
    expect(files.has('hosts/b/rabbitmq/memory-rabbit1.conf')).toBe(false);
  });

  test('seven nodes on one machine: three decimals, and together within the watermark', () => {
    const files = generated({ nodes: 7 });
    expect(alarmLine(files, 'rabbit7')).toBe('vm_memory_high_watermark.relative = 0.086');
  });

  test('a size must have a unit and be at least 256m; the error shows the format', () => {
    const errors = (memory: unknown) => loadSpec(specText({ resources: { memory } }), DAY).errors.map(formatFinding);
    expect(errors('512')).toEqual(['resources.memory: "512" is not a memory size; write mebibytes or gibibytes: 1536m, 2g (at least 256m)']);
    expect(errors('100m')).toHaveLength(1);
    expect(errors(2)).toHaveLength(1);
    expect(errors('2G')).toEqual([]);
    expect(memoryBytes('1536MiB')).toBe(1536 * 1024 ** 2);
    expect(formatMemory(memoryBytes('2gb'))).toBe('2g');
  });
});

describe('logs: rotated, and no volume for files nobody writes', () => {
  test('every container gets json-file with 10m × 5 by default; the nodes have no logs volume (log.file = false)', () => {
    const files = generated({ loadBalancer: { keepalived: { virtualIp: '172.28.5.100/24', virtualRouterId: 51 } }, monitoring: { prometheus: true } });
    const compose = composeOf(files);
    for (const [name, service] of Object.entries(compose.services)) {
      expect([name, service.logging]).toEqual([name, { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '5' } }]);
    }
    expect(Object.keys(compose.volumes ?? {}).filter((v) => v.endsWith('-logs'))).toEqual([]);
    expect(compose.services['rabbit1']!.volumes!.some((v) => v.includes('/var/log/rabbitmq'))).toBe(false);
    expect(files.get('rabbitmq/rabbitmq.conf')).toMatch(/^log\.file = false$/m);
  });

  test('driver: daemon leaves the daemon’s own driver alone; local and sizes are passed on', () => {
    expect(Object.values(composeOf(generated({ logging: { driver: 'daemon' } })).services).map((s) => s.logging)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const local = composeOf(generated({ logging: { driver: 'local', maxSize: '50m', maxFiles: 3 } }));
    expect(local.services['rabbit1']!.logging).toEqual({ driver: 'local', options: { 'max-size': '50m', 'max-file': '3' } });
  });
});

describe('nginx has a healthcheck', () => {
  test('it looks for the first listener in the kernel’s socket table, in the right hex', () => {
    const compose = composeOf(
      generated({
        loadBalancer: {
          listeners: [
            { protocol: 'amqp', port: 5670 },
            { protocol: 'mqtt', port: 1884 },
          ],
        },
      }),
    );
    const nginx = compose.services['lb']!;
    const test = nginx.healthcheck!.test;
    expect(test.slice(0, 3)).toEqual(['CMD', 'grep', '-Eq']);
    expect(test[4]).toBe('/proc/net/tcp');
    const pattern = new RegExp(test[3]!);
    // lines as the kernel writes them: 5670 = 0x1626, listening (0A) on 0.0.0.0
    expect(
      pattern.test('   3: 00000000:1626 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40118 1 0000000000000000 100 0 0 10 0'),
    ).toBe(true);
    // the same port as a connection (01 = ESTABLISHED), and another port listening: not healthy
    expect(
      pattern.test('   4: 0100007F:1626 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000     0        0 40119 1 0000000000000000 20 4 30 10 -1'),
    ).toBe(false);
    expect(
      pattern.test('   5: 00000000:1627 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40120 1 0000000000000000 100 0 0 10 0'),
    ).toBe(false);
  });
});
