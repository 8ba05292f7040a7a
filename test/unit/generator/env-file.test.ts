import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendToEnvFile, parseEnvFile } from '../../../contract/env-file.js';
import { applyPlan } from '../../../generator/apply.js';
import { planCluster } from '../../../generator/plan.js';
import { formatFinding } from '../../../lib/findings.js';
import { loadSpec } from '../../../generator/spec/load-spec.js';
import { specText } from '../../helpers/spec-text.js';

const TRICKY = ['p$ss #1 two words', '${NOT_A_REF', 'a\\b"c"', ' leading and trailing ', 'x=y', '#start', '$$', 'a # b'];

describe('.env values rmq-compose writes are single-quoted and read back as themselves', () => {
  test.each(TRICKY)('%j', (value) => {
    const text = appendToEnvFile('', [{ variable: 'PASS', value }], 'header');
    expect(text).toContain(`PASS='${value}'\n`);
    expect(parseEnvFile(text).get('PASS')).toBe(value);
  });

  test('an inline password from the spec reaches .env quoted and unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rmq-compose-env-'));
    try {
      const password = 'p$ss #1 two words';
      const plan = planCluster(specText({ rabbitmq: { image: 'rabbitmq:3.13', defaultPass: password } }), 'spec.yaml');
      await applyPlan(plan, dir, { env: {}, specName: 'spec.yaml' });
      const env = await readFile(join(dir, 'unit', '.env'), 'utf8');
      expect(env).toContain(`RABBITMQ_DEFAULT_PASS='${password}'\n`);
      expect(parseEnvFile(env).get('RABBITMQ_DEFAULT_PASS')).toBe(password);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('inline secrets .env cannot hold are spec findings, not a crash while writing', () => {
  const errorsOf = (patch: Record<string, unknown>) => loadSpec(specText(patch)).errors.map(formatFinding);

  test('a single quote in an inline password', () => {
    expect(errorsOf({ rabbitmq: { image: 'rabbitmq:3.13', defaultPass: "it's" } })).toEqual([
      "rabbitmq.defaultPass: is moved to .env as RABBITMQ_DEFAULT_PASS, but the value contains a single quote ('), which rmq-compose does not write to .env; choose one without",
    ]);
  });

  test('a single quote in an inline cookie', () => {
    expect(errorsOf({ rabbitmq: { image: 'rabbitmq:3.13', erlangCookie: "COOKIE'COOKIE" } })[0]).toMatch(
      /^rabbitmq\.erlangCookie: is moved to \.env as RABBITMQ_ERLANG_COOKIE, but the value contains a single quote/,
    );
  });

  test('a newline in an inline password', () => {
    expect(errorsOf({ rabbitmq: { image: 'rabbitmq:3.13', defaultPass: 'pa\nss' } })).toEqual([
      'rabbitmq.defaultPass: must not contain control characters (a newline?)',
    ]);
  });
});
