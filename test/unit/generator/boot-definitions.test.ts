import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { planCluster, type ClusterPlan } from '../../../generator/plan.js';
import { formatFinding } from '../../../lib/findings.js';
import { planSpecFile, specPath } from '../../helpers/spec-files.js';

const PASSWORD = 'Cle4rText-Only-In-Env-9x';
const SECRETS = new Map([
  ['RABBITMQ_DEFAULT_PASS', PASSWORD],
  ['RABBITMQ_ERLANG_COOKIE', 'COOKIEVALUECOOKIEVALUE'],
]);
const DEFINITIONS = readFileSync(specPath('boot-definitions').replace(/\.yaml$/, '.json'), 'utf8');

function plan(spec: Record<string, unknown>): ClusterPlan {
  return planCluster(stringify(spec), 'spec.yaml', { definitionsText: DEFINITIONS, secretValues: SECRETS });
}
const byPath = (p: ClusterPlan) => new Map(p.files.map((f) => [f.path, f]));

describe('boot definitions in the generated files', () => {
  const single = plan({ name: 'defs', rabbitmq: { image: 'rabbitmq:4.3-management', definitions: 'defs.json' }, nodes: 3 });
  const files = byPath(single);

  test('rabbitmq.conf: the local_filesystem backend, the installed path, skip_if_unchanged', () => {
    const conf = files.get('rabbitmq/rabbitmq.conf')!.contents;
    expect(conf).toMatch(/^definitions\.import_backend = local_filesystem$/m);
    expect(conf).toMatch(/^definitions\.local\.path = \/etc\/rabbitmq\/definitions\.json$/m);
    expect(conf).toMatch(/^definitions\.skip_if_unchanged = true$/m);
    expect(conf).not.toMatch(/^load_definitions/m);
  });

  test('definitions.json: mode 0600, in .gitignore, mounted read-only on every node where root only reads it', () => {
    expect(files.get('rabbitmq/definitions.json')!.mode).toBe(0o600);
    expect(files.get('.gitignore')!.contents.split('\n')).toContain('/rabbitmq/definitions.json');
    const compose = parse(files.get('docker-compose.yml')!.contents) as { services: Record<string, { volumes?: string[] }> };
    for (const node of ['rabbit1', 'rabbit2', 'rabbit3']) {
      expect(compose.services[node]!.volumes).toContain('./rabbitmq/definitions.json:/etc/rabbitmq-compose/definitions.json:ro');
    }
    expect(files.get('docker-compose.yml')!.mode).toBe(0o644);
  });

  test('entrypoint.sh installs it for the rabbitmq user only (0400), where rabbitmq.conf points', () => {
    const entrypoint = files.get('rabbitmq/entrypoint.sh')!.contents;
    expect(entrypoint).toContain('cat /etc/rabbitmq-compose/definitions.json > "$definitions.new"');
    expect(entrypoint).toMatch(
      /definitions=\/etc\/rabbitmq\/definitions\.json\n[\s\S]*chown rabbitmq:rabbitmq "\$definitions\.new"\nchmod 0400 "\$definitions\.new"\nmv -f "\$definitions\.new" "\$definitions"\n/,
    );
    expect(entrypoint.indexOf('definitions.json')).toBeLessThan(entrypoint.indexOf('exec docker-entrypoint.sh'));
  });

  test('the README says what is imported and what gen added', () => {
    expect(files.get('README.md')!.contents).toContain(
      "- **Definitions at boot.** Every node imports `rabbitmq/definitions.json` when it starts: the spec's `defs.json` plus the default user `admin`",
    );
  });

  test('the password is in no generated file; its hash is in definitions.json only', () => {
    for (const f of single.files) expect({ path: f.path, clear: f.contents.includes(PASSWORD) }).toEqual({ path: f.path, clear: false });
    const hash = (JSON.parse(files.get('rabbitmq/definitions.json')!.contents) as { users: Array<{ name: string; password_hash: string }> }).users.find(
      (u) => u.name === 'admin',
    )!.password_hash;
    expect(single.files.filter((f) => f.contents.includes(hash)).map((f) => f.path)).toEqual(['rabbitmq/definitions.json']);
  });

  test('a spec without definitions mounts and installs nothing of the kind', () => {
    const plain = byPath(planCluster(stringify({ name: 'plain', nodes: 3 }), 'spec.yaml'));
    expect([...plain.values()].some((f) => f.contents.includes('definitions.json'))).toBe(false);
    expect(plain.has('rabbitmq/definitions.json')).toBe(false);
  });
});

describe('which rabbitmq.conf keys, by version', () => {
  const confOf = (image: string) =>
    byPath(plan({ name: 'defs', rabbitmq: { image, definitions: 'defs.json' }, nodes: 3 })).get('rabbitmq/rabbitmq.conf')!.contents;

  test('3.10 (the oldest test image, 3.10.8) has the 3.10.0 keys', () => {
    expect(confOf('rabbitmq:3.10.8-management')).toMatch(/^definitions\.skip_if_unchanged = true$/m);
  });

  test('3.9: load_definitions, no skip_if_unchanged, and a warning that says so', () => {
    const conf = confOf('rabbitmq:3.9-management');
    expect(conf).toMatch(/^load_definitions = \/etc\/rabbitmq\/definitions\.json$/m);
    expect(conf).not.toMatch(/^definitions\./m);
    const warnings = plan({ name: 'defs', rabbitmq: { image: 'rabbitmq:3.9-management', definitions: 'defs.json' }, nodes: 3 }).warnings.map(formatFinding);
    expect(warnings).toContainEqual(expect.stringMatching(/^rabbitmq\.definitions: RabbitMQ 3\.9 has no definitions\.skip_if_unchanged \(3\.10\+\)/));
  });
});

describe('machines reached through docker: carry definitions.json inside their compose file', () => {
  const remote = plan({
    name: 'remote-defs',
    rabbitmq: { image: 'rabbitmq:4.1-management', definitions: 'defs.json' },
    hosts: [
      { name: 'mq1', address: '10.0.0.11', docker: 'ssh://root@10.0.0.11', nodes: ['rabbit1'] },
      { name: 'mq2', address: '10.0.0.12', nodes: ['rabbit2'] },
      { name: 'mq3', address: '10.0.0.13', docker: 'ssh://root@10.0.0.13', nodes: ['rabbit3'] },
      { name: 'lb1', address: '10.0.0.21', docker: 'ssh://root@10.0.0.21', loadBalancer: true },
    ],
    nodes: ['rabbit1', 'rabbit2', 'rabbit3'],
  });
  const files = byPath(remote);

  test('as a config only root reads (0400), so those compose files are private too: 0600 and git-ignored', () => {
    const compose = parse(files.get('hosts/mq1/docker-compose.yml')!.contents) as {
      services: Record<string, { configs: Array<{ target: string; mode: number }> }>;
      configs: Record<string, { content: string }>;
    };
    expect(compose.services['rabbit1']!.configs).toContainEqual({
      source: 'rabbit1-definitions-json',
      target: '/etc/rabbitmq-compose/definitions.json',
      mode: 0o400,
    });
    expect(compose.configs['rabbit1-definitions-json']!.content).toBe(files.get('hosts/mq1/rabbitmq/definitions.json')!.contents);
    expect(files.get('hosts/mq1/docker-compose.yml')!.mode).toBe(0o600);
    expect(files.get('hosts/mq2/docker-compose.yml')!.mode).toBe(0o644); // bind mounts: the hash stays in its own file
    expect(files.get('hosts/lb1/docker-compose.yml')!.mode).toBe(0o644); // no node, no definitions
    expect(files.get('.gitignore')!.contents).toBe(
      [
        '.env',
        '.rmq-compose/',
        'audit.log',
        'backups/',
        '*.hand-edited-*',
        '*.deb',
        '/hosts/mq1/docker-compose.yml',
        '/hosts/mq1/rabbitmq/definitions.json',
        '/hosts/mq2/rabbitmq/definitions.json',
        '/hosts/mq3/docker-compose.yml',
        '/hosts/mq3/rabbitmq/definitions.json',
        '',
      ].join('\n'),
    );
  });

  test('said as a warning, and in the README', () => {
    expect(remote.warnings.map(formatFinding)).toContain(
      'rabbitmq.definitions: hosts/mq1/docker-compose.yml, hosts/mq3/docker-compose.yml carry definitions.json (password hashes) inline for machines reached through docker:, so they are written mode 0600 and git-ignored like it; keep copies of them private too',
    );
    expect(files.get('README.md')!.contents).toContain('like the compose files that carry it (`hosts/mq1/docker-compose.yml`, `hosts/mq3/docker-compose.yml`)');
  });

  test('no clear password anywhere there either', () => {
    for (const f of remote.files) expect({ path: f.path, clear: f.contents.includes(PASSWORD) }).toEqual({ path: f.path, clear: false });
  });
});

describe('the fixture spec (test/fixtures/specs/boot-definitions.yaml)', () => {
  test('renders with the definitions read beside it', () => {
    const files = byPath(planSpecFile(specPath('boot-definitions')));
    const json = JSON.parse(files.get('rabbitmq/definitions.json')!.contents) as { users: Array<{ name: string }>; queues: Array<{ name: string }> };
    expect(json.users.map((u) => u.name)).toEqual(['app', 'admin']);
    expect(json.queues.map((q) => q.name)).toEqual(['orders.in']);
  });
});
