import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { withSchemaReference } from '../../../cli/commands/init-schema.js';
import { packageRoot } from '../../../lib/package-root.js';

/** init's `$schema` line must name a file that exists, wherever rmq-compose runs from. */
describe("init's $schema reference", () => {
  let tmp: string;
  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'rmq-compose-schema-'));
  });
  afterEach(() => rm(tmp, { recursive: true, force: true }));

  const template = () => readFile(join(packageRoot(), 'templates', 'rmq-cluster.init.yaml'), 'utf8');
  const referenceIn = (text: string) => /^# yaml-language-server: \$schema=(\S+)$/m.exec(text)?.[1];

  async function packageAt(root: string): Promise<string> {
    await mkdir(join(root, 'schema'), { recursive: true });
    await writeFile(join(root, 'schema', 'rmq-cluster.schema.json'), '{}\n');
    return root;
  }

  test('the template starts with the line init rewrites', async () => {
    expect((await template()).split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\S+$/);
  });

  test.each([
    ['a clone, the spec at its top', '', 'rmq-cluster.yaml', './schema/rmq-cluster.schema.json'],
    ['installed in the project', 'proj/node_modules/rmq-compose', 'proj/rmq-cluster.yaml', './node_modules/rmq-compose/schema/rmq-cluster.schema.json'],
    [
      'npx, the spec in a sub-folder',
      'home/.npm/_npx/1a2b/node_modules/rmq-compose',
      'proj/specs/prod.yaml',
      '../../home/.npm/_npx/1a2b/node_modules/rmq-compose/schema/rmq-cluster.schema.json',
    ],
  ])('%s', async (_name, rootPath, specPath, expected) => {
    const root = await packageAt(join(tmp, rootPath));
    const spec = join(tmp, specPath);
    const text = withSchemaReference(await template(), spec, root);
    const reference = referenceIn(text)!;
    expect(reference).toBe(expected);
    expect(resolve(dirname(spec), reference)).toBe(join(root, 'schema', 'rmq-cluster.schema.json'));
    // only that line changes
    expect(text.split('\n').slice(1)).toEqual((await template()).split('\n').slice(1));
  });

  test('a relative spec path is taken from the working directory', async () => {
    const text = withSchemaReference(await template(), 'rmq-cluster.yaml');
    expect(resolve(referenceIn(text)!)).toBe(join(packageRoot(), 'schema', 'rmq-cluster.schema.json'));
  });

  test('no schema file, or a path with a space: the template is left as it is', async () => {
    expect(withSchemaReference(await template(), join(tmp, 'spec.yaml'), join(tmp, 'nothing-here'))).toBe(await template());
    const root = await packageAt(join(tmp, 'with space', 'rmq-compose'));
    expect(withSchemaReference(await template(), join(tmp, 'spec.yaml'), root)).toBe(await template());
  });
});
