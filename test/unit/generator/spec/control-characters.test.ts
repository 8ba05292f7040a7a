import { formatFinding } from '../../../../lib/findings.js';
import { loadSpec } from '../../../../generator/spec/load-spec.js';
import { planCluster } from '../../../../generator/plan.js';
import { specText } from '../../../helpers/spec-text.js';

const errorsOf = (patch: Record<string, unknown>) => loadSpec(specText(patch)).errors.map(formatFinding);
const MESSAGE = 'must not contain control characters (a newline?)';
const vip = { virtualIp: '172.28.5.100/24', virtualRouterId: 51 };

describe('control characters anywhere in the spec are findings, with the dot path', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['rabbitmq.image (into rabbitmq.conf and compose)', { rabbitmq: { image: 'rabbitmq:3.13-management\nloopback_users = none' } }, 'rabbitmq.image'],
    ['loadBalancer.image', { loadBalancer: { image: 'nginx:1.27\r' } }, 'loadBalancer.image'],
    ['keepalived image', { loadBalancer: { keepalived: { ...vip, image: 'k:1\u0085x' } } }, 'loadBalancer.keepalived.image'],
    ['inline password (into .env)', { rabbitmq: { image: 'rabbitmq:3.13', defaultPass: 'pa\nss' } }, 'rabbitmq.defaultPass'],
    ['defaultUser (into compose)', { rabbitmq: { image: 'rabbitmq:3.13', defaultUser: 'ad\u007fmin' } }, 'rabbitmq.defaultUser'],
    ['policy pattern', { policies: [{ name: 'p', pattern: '^a\tb', definition: { 'queue-mode': 'lazy' } }] }, 'policies[0].pattern'],
    ['policy definition value', { policies: [{ name: 'p', pattern: '.*', definition: { 'queue-mode': 'la\nzy' } }] }, 'policies[0].definition.queue-mode'],
    ['node name in a list', { nodes: ['rabbit1', 'rabbit2\n', 'rabbit3'] }, 'nodes[1]'],
  ])('%s', (_name, patch, path) => {
    expect(errorsOf(patch)).toContain(`${path}: ${MESSAGE}`);
  });

  test('a key with a control character is named escaped, never printed raw', () => {
    const errors = errorsOf({ policies: [{ name: 'p', pattern: '.*', definition: { 'a\nb': 'x' } }] });
    expect(errors).toContain(`policies[0].definition."a\\nb": a key ${MESSAGE}`);
    expect(errors.join('')).not.toContain('a\nb');
  });

  test('the finding never echoes the value (it may be a secret)', () => {
    expect(errorsOf({ rabbitmq: { image: 'rabbitmq:3.13', defaultPass: 'Secret-1\n' } }).join('\n')).not.toContain('Secret-1');
  });
});

describe('the spec file name in generated headers', () => {
  test('a newline in the file name cannot start a line in any generated file', () => {
    const plan = planCluster(specText({ loadBalancer: { keepalived: vip } }), 'spec.yaml\ninjected = 1');
    for (const f of plan.files) {
      expect(f.contents).not.toMatch(/^injected/m);
    }
    expect(plan.files.find((f) => f.path === 'rabbitmq/rabbitmq.conf')!.contents).toContain('from spec.yaml\\u000ainjected = 1.');
  });
});
