import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBootDefinitions } from '../../../../generator/definitions/parse-definitions.js';
import { planCluster } from '../../../../generator/plan.js';
import { loadSpecFiles } from '../../../../generator/spec/load-spec-files.js';
import { DEFINITIONS_MAX_BYTES, readDefinitionsFile } from '../../../../generator/spec/read-definitions-file.js';
import { SpecError } from '../../../../lib/errors.js';
import { formatFinding } from '../../../../lib/findings.js';
import { specText } from '../../../helpers/spec-text.js';

const errorsOf = (text: string) => parseBootDefinitions(text, 'defs.json').errors.map(formatFinding);

describe('the definitions file is checked: errors name rabbitmq.definitions, the place, and the fix', () => {
  test('not JSON: the reason and where, never the text around it (it may hold passwords)', () => {
    const text = '{\n  "users": [ { "name": "app", "password": "hunter2-clear" } ]\n  "vhosts": []\n}\n';
    expect(errorsOf(text)).toEqual([
      "rabbitmq.definitions: defs.json: is not valid JSON (Expected ',' or '}' after property value, line 3 column 3); the file must be a definitions export: export the whole cluster with `rabbitmqctl export_definitions <file>`",
    ]);
    expect(errorsOf('{"users": [ {"password": "hunter2-clear"} x ]}').join()).not.toContain('hunter2');
    expect(errorsOf('{"users": [')).toEqual([expect.stringContaining('is not valid JSON (it ends too early)')]);
  });

  test('a byte-order mark first is fine', () => {
    expect(errorsOf('\uFEFF{"vhosts": [{"name": "/"}]}')).toEqual([]);
  });

  test('not an object', () => {
    expect(errorsOf('[{"name": "orders"}]')).toEqual([
      'rabbitmq.definitions: defs.json: must be a JSON object with "users", "vhosts", "queues"… lists, as a definitions export is; this file holds an array (export the whole cluster with `rabbitmqctl export_definitions <file>`)',
    ]);
    expect(errorsOf('null')).toEqual([expect.stringContaining('this file holds null')]);
  });

  test('the wrong shape: a list that is not one, entries RabbitMQ would stop a booting node over', () => {
    expect(errorsOf('{"users": {"name": "app"}}')).toEqual([
      'rabbitmq.definitions: defs.json: users: must be a list (a JSON array), as a definitions export writes it',
    ]);
    expect(errorsOf('{"users": [{"name": "app", "password_hash": "x"}]}')).toEqual([
      'rabbitmq.definitions: defs.json: users[0].tags: needs "tags" (a string such as "administrator", or "" for none): RabbitMQ refuses a user without them',
    ]);
    expect(errorsOf('{"vhosts": [{"description": "no name"}], "permissions": [{"vhost": "/"}]}')).toEqual([
      'rabbitmq.definitions: defs.json: vhosts[0].name: needs a "name"',
      'rabbitmq.definitions: defs.json: permissions[0].user: needs a "user"',
    ]);
    expect(errorsOf('{"queues": ["orders.in"]}')).toEqual(['rabbitmq.definitions: defs.json: queues[0]: must be an object']);
  });

  test('a one-virtual-host export (no "vhost" on its queues) is named as such', () => {
    expect(errorsOf('{"queues": [{"name": "orders.in", "durable": true}]}')).toEqual([
      'rabbitmq.definitions: defs.json: queues[0].vhost: has no "vhost": a one-virtual-host export (the management UI\'s or GET /api/definitions/<vhost>) cannot be imported at boot (RabbitMQ refuses it); export the whole cluster with `rabbitmqctl export_definitions <file>`',
    ]);
  });

  test('thousands of bad entries: five lines and a count', () => {
    const queues = Array.from({ length: 1000 }, (_, i) => ({ name: `q${i}` }));
    const errors = errorsOf(JSON.stringify({ queues }));
    expect(errors).toHaveLength(6);
    expect(errors[5]).toBe('rabbitmq.definitions: defs.json: and 995 more problems like these');
  });

  test('an export as RabbitMQ writes it passes, extra keys and all', () => {
    const text = JSON.stringify({
      rabbit_version: '3.13.7',
      users: [{ name: 'a', password_hash: 'h', hashing_algorithm: 'rabbit_password_hashing_sha256', tags: [], limits: {} }],
      vhosts: [{ name: '/', limits: [], metadata: {} }],
      something_new: 1,
    });
    expect(parseBootDefinitions(text, 'defs.json').definitions).toEqual(JSON.parse(text));
  });
});

describe('reading the file (the edge: relative to the spec’s folder, exists, a file, at most 10 MB)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rmq-defs-'));
    await mkdir(join(dir, 'specs', 'defs'), { recursive: true });
    await writeFile(join(dir, 'specs', 'defs', 'ok.json'), '{"vhosts": []}');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  test('relative to the spec’s folder, absolute as it is', async () => {
    expect(await readDefinitionsFile('defs/ok.json', join(dir, 'specs'))).toEqual({ text: '{"vhosts": []}' });
    expect(await readDefinitionsFile(join(dir, 'specs', 'defs', 'ok.json'), '/nowhere')).toEqual({ text: '{"vhosts": []}' });
  });

  test('missing', async () => {
    const { error } = await readDefinitionsFile('defs/nope.json', join(dir, 'specs'));
    expect(formatFinding(error!)).toBe(
      `rabbitmq.definitions: defs/nope.json (${join(dir, 'specs', 'defs', 'nope.json')}): no such file; the path is relative to the spec file's folder. Export one with \`rabbitmqctl export_definitions <file>\` or fix the path`,
    );
  });

  test('a folder', async () => {
    const { error } = await readDefinitionsFile('defs', join(dir, 'specs'));
    expect(error!.message).toMatch(/: is a folder; name the JSON file itself$/);
  });

  test('more than 10 MB', async () => {
    const big = join(dir, 'big.json');
    await writeFile(big, '');
    await truncate(big, DEFINITIONS_MAX_BYTES + 1);
    const { error } = await readDefinitionsFile(big, dir);
    expect(formatFinding(error!)).toBe(
      `rabbitmq.definitions: ${big}: is 10.0 MB, more than the 10 MB rmq-compose imports at boot; import a topology that large once after deploy (rabbitmqctl import_definitions) instead`,
    );
  });

  test('through loadSpecFiles: no model, the finding, the spec’s warnings kept', async () => {
    const spec = specText({ rabbitmq: { image: 'rabbitmq:3.13', definitions: 'defs/nope.json' } });
    const loaded = await loadSpecFiles(spec, join(dir, 'specs'), { today: '2024-06-01' });
    expect(loaded.model).toBeUndefined();
    expect(loaded.errors.map(formatFinding)).toEqual([expect.stringMatching(/^rabbitmq\.definitions: defs\/nope\.json \(.*\): no such file/)]);
    const bad = join(dir, 'specs', 'defs', 'bad.json');
    await writeFile(bad, '{"users": 3}');
    const shape = await loadSpecFiles(specText({ rabbitmq: { image: 'rabbitmq:3.13', definitions: 'defs/bad.json' } }), join(dir, 'specs'));
    expect(shape.errors.map(formatFinding)).toEqual([
      'rabbitmq.definitions: defs/bad.json: users: must be a list (a JSON array), as a definitions export writes it',
    ]);
  });
});

describe('planning without what the definitions need', () => {
  const spec = specText({ rabbitmq: { image: 'rabbitmq:4.0', defaultUser: '${RMQ_USER}', definitions: 'defs.json' } });

  test('the file’s text not given (a caller that did not read it)', () => {
    expect(() => planCluster(spec, 'spec.yaml')).toThrow(SpecError);
    expect(() => planCluster(spec, 'spec.yaml')).toThrow(/rabbitmq\.definitions: defs\.json was not read/);
  });

  test('the default user’s name and password unknown: named, with the fix', () => {
    const plan = () => planCluster(spec, 'spec.yaml', { definitionsText: '{}' });
    expect(plan).toThrow(
      "rabbitmq.definitions: the file gets the default user's password hash, so gen needs RMQ_USER and RABBITMQ_DEFAULT_PASS: export them or add RMQ_USER=…, RABBITMQ_DEFAULT_PASS=… to the cluster's .env",
    );
  });

  test('a default user from a variable is the one added', () => {
    const plan = planCluster(spec, 'spec.yaml', {
      definitionsText: '{}',
      secretValues: new Map([
        ['RMQ_USER', 'ops'],
        ['RABBITMQ_DEFAULT_PASS', 'pw'],
      ]),
    });
    const json = JSON.parse(plan.files.find((f) => f.path === 'rabbitmq/definitions.json')!.contents) as { users: Array<{ name: string }> };
    expect(json.users.map((u) => u.name)).toEqual(['ops']);
    expect(plan.privateInputs).toEqual(['RABBITMQ_DEFAULT_PASS', 'RMQ_USER']);
    // the README names the variable, not its value
    expect(plan.files.find((f) => f.path === 'README.md')!.contents).toContain('the default user `${RMQ_USER}`');
  });
});
