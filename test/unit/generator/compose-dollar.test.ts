import { parse } from 'yaml';
import { planCluster } from '../../../generator/plan.js';
import { specText } from '../../helpers/spec-text.js';

/** Every string value of a parsed compose file, with where it is. */
function values(node: unknown, path = ''): Array<[string, string]> {
  if (typeof node === 'string') return [[path, node]];
  if (Array.isArray(node)) return node.flatMap((item, i) => values(item, `${path}[${i}]`));
  if (node !== null && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => values(v, `${path}.${k}`));
  return [];
}

const spec = specText({
  rabbitmq: { image: 'registry.example/rabbit:$weird', version: '3.13', defaultUser: 'ad$min' },
  loadBalancer: { image: 'nginx:$TAG', keepalived: { virtualIp: '172.28.5.100/24', virtualRouterId: 51, image: 'k$eepalived:1' } },
});
const compose = planCluster(spec, 'spec.yaml').files.find((f) => f.path === 'docker-compose.yml')!.contents;

describe('a literal $ in a compose value is written $$, so Compose does not interpolate it', () => {
  test('image names and the default user', () => {
    expect(compose).toContain('image: "registry.example/rabbit:$$weird"');
    expect(compose).toContain('image: "nginx:$$TAG"');
    expect(compose).toContain('image: "k$$eepalived:1"');
    expect(compose).toContain('RABBITMQ_DEFAULT_USER: "ad$$min"');
  });

  test('the deliberate ${VAR} references to .env keep their single $', () => {
    expect(compose).toContain('RABBITMQ_DEFAULT_PASS: "${RABBITMQ_DEFAULT_PASS:?RABBITMQ_DEFAULT_PASS is not set; rmq-compose gen writes it to .env}"');
  });

  test('no value anywhere has a bare $ other than those references', () => {
    for (const [path, value] of values(parse(compose))) {
      const bare = value.replace(/\$\$/g, '').replace(/^\$\{[A-Z_][A-Z0-9_]*:\?[^}]*\}$/, '');
      expect([path, bare.includes('$')]).toEqual([path, false]);
    }
  });
});
