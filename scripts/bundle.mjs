// The CLI as one ES module (plus lazily loaded chunks for the operations core and the bot), built
// at `npm run build`: node then reads a few files instead of resolving hundreds in node_modules,
// which was most of `gen`'s time. Type checking stays with tsc; this only packs what tsc checked.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import Handlebars from 'handlebars';

/**
 * generator/render/templates.ts compiles templates/*.hbs when first used; in the bundle they come
 * precompiled (same options) and only Handlebars' small runtime is loaded. The test suite checks
 * the bundle's output byte for byte against the committed compose/seed/ and the snapshots.
 */
const precompiledTemplates = {
  name: 'precompiled-templates',
  setup(b) {
    b.onLoad({ filter: /generator[\\/]render[\\/]templates\.ts$/ }, () => {
      const specs = readdirSync('templates')
        .filter((f) => f.endsWith('.hbs'))
        .map((f) => `  ${JSON.stringify(f)}: ${Handlebars.precompile(readFileSync(join('templates', f), 'utf8'), { strict: true, noEscape: true })}`);
      return {
        loader: 'ts',
        resolveDir: join('generator', 'render'),
        contents: `
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars/runtime';
import { packageRoot } from '../../lib/package-root.js';
const SPECS: Record<string, unknown> = {
${specs.join(',\n')}
};
const cache = new Map<string, (context: object) => string>();
export function renderTemplate(name: string, context: object): string {
  let template = cache.get(name);
  if (!template) {
    const spec = SPECS[name];
    if (!spec) throw new Error('no precompiled template ' + name);
    template = Handlebars.template(spec as never) as (context: object) => string;
    cache.set(name, template);
  }
  return template(context);
}
export function readStaticTemplate(name: string): string {
  return readFileSync(join(packageRoot(), 'templates', name), 'utf8');
}
`,
      };
    });
  },
};

import { rmSync } from 'node:fs';
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: { 'rmq-compose': 'cli/main.ts' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  // Bolt and its HTTP stack load only for `rmq-compose bot`; left as packages they stay lazy anyway
  external: ['@slack/bolt'],
  // bundled CommonJS packages (handlebars, commander) call require() for node built-ins
  banner: { js: "import { createRequire as __rmqCreateRequire } from 'node:module'; const require = __rmqCreateRequire(import.meta.url);" },
  plugins: [precompiledTemplates],
  // less text for V8 to scan at every start; names kept: error classes report their own name
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});
