import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { packageRoot } from '../../lib/package-root.js';

type Template = (context: object) => string;
const cache = new Map<string, Template>();

/**
 * Text configs come from `templates/*.hbs`. strict: a missing value is an error, not an empty
 * string in a config; noEscape: these are configs, not HTML.
 */
export function renderTemplate(name: string, context: object): string {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(join(packageRoot(), 'templates', name), 'utf8');
    template = Handlebars.compile(source, { strict: true, noEscape: true });
    cache.set(name, template);
  }
  return template(context);
}

/** Static files shipped as they are (scripts, Dockerfile). */
export function readStaticTemplate(name: string): string {
  return readFileSync(join(packageRoot(), 'templates', name), 'utf8');
}
