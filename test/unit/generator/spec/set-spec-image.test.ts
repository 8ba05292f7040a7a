import { parse } from 'yaml';
import { setSpecImage } from '../../../../generator/spec/set-image.js';

/** What `upgrade` writes back into the user's spec: the image changed, everything else as it was. */
const SPEC = `# our cluster: ask #platform before changing
name: prod   # the folder name too
rabbitmq:
  image: rabbitmq:4.2-management   # pinned
  version: 4.2.3
  plugins: [rabbitmq_management, rabbitmq_mqtt]
nodes:
  - { name: rabbit1, ports: { amqp: 5672 } }
  - rabbit2
  - rabbit3
`;

describe('setSpecImage', () => {
  test('changes only the image (and drops a version the old image needed), keeping comments and flow maps', () => {
    const out = setSpecImage(SPEC, 'rabbitmq:4.3-management', undefined);
    expect(out).toBe(SPEC.replace('rabbitmq:4.2-management', 'rabbitmq:4.3-management').replace('  version: 4.2.3\n', ''));
  });

  test('records --version when given, as a string (a plain 4.3 would read back as a number)', () => {
    const out = setSpecImage(SPEC, 'registry.example:5000/mq:stable', '4.3');
    expect(out).toContain('  image: registry.example:5000/mq:stable   # pinned\n  version: "4.3"\n');
    expect((parse(out) as { rabbitmq: { version: unknown } }).rabbitmq.version).toBe('4.3');
  });

  test('adds a rabbitmq section when the spec relied on the default image', () => {
    expect(parse(setSpecImage('name: prod\nnodes: 3\n', 'rabbitmq:4.3-management', undefined))).toEqual({
      name: 'prod',
      nodes: 3,
      rabbitmq: { image: 'rabbitmq:4.3-management' },
    });
  });

  test('a spec that is not a mapping is an error, not a rewrite', () => {
    expect(() => setSpecImage('- a\n- b\n', 'rabbitmq:4.3', undefined)).toThrow(/not a YAML mapping/);
  });
});
