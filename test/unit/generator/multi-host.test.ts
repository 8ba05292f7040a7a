import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { planCluster } from '../../../generator/plan.js';
import { specPath } from '../../helpers/spec-files.js';

/** The generated files of a spec, by path. */
function render(text: string, name = 'spec.yaml'): Map<string, string> {
  return new Map(planCluster(text, name).files.map((f) => [f.path, f.contents]));
}
const compose = (files: Map<string, string>, path: string) => parse(files.get(path)!) as { services: Record<string, { ports?: string[] }> };

describe('hosts layout: a node publishes its ports on its machine’s address only', () => {
  const prod = render(readFileSync(specPath('prod'), 'utf8'), 'prod.yaml');

  test.each([
    ['mq1', 'rabbit1', '192.168.1.17'],
    ['mq2', 'rabbit2', '192.168.1.18'],
    ['mq3', 'rabbit3', '192.168.1.19'],
  ])('%s: every port of %s, epmd and distribution included, is bound to %s', (host, node, address) => {
    const ports = compose(prod, `hosts/${host}/docker-compose.yml`).services[node]!.ports!;
    expect(ports).toEqual([`${address}:5672:5672`, `${address}:15672:15672`, `${address}:1883:1883`, `${address}:4369:4369`, `${address}:25672:25672`]);
  });

  test('one machine: ports stay on every interface (unchanged)', () => {
    const seed = render(readFileSync(specPath('seed'), 'utf8'), 'seed.yaml');
    expect(compose(seed, 'docker-compose.yml').services['rabbit1']!.ports).toEqual(['5672:5672', '15672:15672']);
  });
});
