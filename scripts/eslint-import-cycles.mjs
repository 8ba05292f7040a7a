// A local eslint rule: no import cycle among the project's own files (docs/architecture.md).
// A cycle makes two files one unit nobody can read or test alone, and its load order decides
// which side sees the other half-built. Imports are read with TypeScript's own pre-processor
// (static and dynamic, type-only too: a type cycle still ties two files together).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

/** file → the project files it imports; read once per file per lint run. */
const graph = new Map();

function importsOf(file) {
  let edges = graph.get(file);
  if (!edges) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // gone since it was named: it imports nothing
    }
    edges = importsIn(file, text);
    graph.set(file, edges);
  }
  return edges;
}

function importsIn(file, text) {
  const edges = [];
  for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const target = resolve(dirname(file), fileName.replace(/\.js$/, '.ts'));
    if (target.endsWith('.ts') && existsSync(target)) edges.push(target);
  }
  return edges;
}

/** The shortest way back from `start` (whose text is being linted) to itself, as the files in order. */
function cycleThrough(start, text) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const next of file === start ? importsIn(start, text) : importsOf(file)) {
      if (next === start) {
        const path = [file];
        for (let at = previous.get(file); at !== undefined; at = previous.get(at)) path.unshift(at);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}

export const noImportCycle = {
  meta: { type: 'problem', docs: { description: 'no import cycle among the project files' }, schema: [] },
  create(context) {
    return {
      Program(node) {
        const file = resolve(context.filename);
        const cycle = cycleThrough(file, context.sourceCode.text);
        if (!cycle) return;
        const root = context.cwd;
        const names = [...cycle, file].map((f) => relative(root, f));
        context.report({ node, message: `import cycle: ${names.join(' → ')}; move what both need into a file of its own` });
      },
    };
  },
};
