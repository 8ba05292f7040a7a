import { benchGen } from './gen-bench.js';

/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run, so the
 * numbers mean something on a busy shared machine. Nothing here asserts a time.
 */
const sections: Array<[string, () => Promise<string[]>]> = [['generator', () => benchGen()]];

for (const [name, run] of sections) {
  process.stdout.write(`\n== ${name}\n`);
  for (const line of await run()) process.stdout.write(`${line}\n`);
}
