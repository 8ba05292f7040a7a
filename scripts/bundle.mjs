// The CLI as one ES module (plus lazily loaded chunks for the operations core and the bot), built
// at `npm run build`: node then reads a few files instead of resolving hundreds in node_modules,
// which was most of `gen`'s time. Type checking stays with tsc; this only packs what tsc checked.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
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
      const compiled = [];
      const statics = [];
      for (const name of readdirSync('templates').sort()) {
        const source = readFileSync(join('templates', name), 'utf8');
        if (name.endsWith('.hbs')) compiled.push(`  ${JSON.stringify(name)}: ${Handlebars.precompile(source, { strict: true, noEscape: true })}`);
        else statics.push(`  ${JSON.stringify(name)}: ${JSON.stringify(source)}`);
      }
      // the same exports as templates.ts; static files inlined too, so gen reads no template file
      return {
        loader: 'js',
        resolveDir: join('generator', 'render'),
        contents: `
import Handlebars from 'handlebars/runtime';
const SPECS = {
${compiled.join(',\n')}
};
const STATICS = {
${statics.join(',\n')}
};
const cache = new Map();
export function renderTemplate(name, context) {
  let template = cache.get(name);
  if (!template) {
    if (!Object.hasOwn(SPECS, name)) throw new Error('rmq-compose: no template ' + name);
    template = Handlebars.template(SPECS[name]);
    cache.set(name, template);
  }
  return template(context);
}
export function readStaticTemplate(name) {
  if (!Object.hasOwn(STATICS, name)) throw new Error('rmq-compose: no static template ' + name);
  return STATICS[name];
}
`,
      };
    });
  },
};

/**
 * zod's `z` namespace re-exports every locale (~50 files) and a namespace cannot be tree-shaken.
 * Messages here are English (zod's default, set from locales/en.js) and nothing asks for
 * another locale, so the bundle's locales index holds English only.
 */
const englishOnlyZod = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: "export { default as en } from './en.js';\n",
      loader: 'js',
    }));
  },
};

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
  // Bolt and its HTTP stack load only for `rmq-compose bot`; left as packages they stay lazy anyway.
  // @resvg/resvg-js (the bot's chart rasteriser) picks a native .node file from a per-platform
  // package at run time, which a bundle cannot hold; its font package is only resolved as files.
  external: ['@slack/bolt', '@resvg/resvg-js'],
  // bundled CommonJS packages (handlebars, commander) call require() for node built-ins
  banner: { js: "import { createRequire as __rmqCreateRequire } from 'node:module'; const require = __rmqCreateRequire(import.meta.url);" },
  plugins: [precompiledTemplates, englishOnlyZod],
  // less text for V8 to scan at every start; names kept: error classes report their own name
  minify: true,
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});
