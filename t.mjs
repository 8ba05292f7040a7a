import { readFileSync } from 'node:fs';
import { loadSpec } from './dist/generator/spec/load-spec.js';
import { renderCluster } from './dist/generator/render/render-cluster.js';
const f = process.argv[2];
const r = loadSpec(readFileSync(`test/fixtures/specs/${f}.yaml`,'utf8'));
for (const x of renderCluster(r.model, `${f}.yaml`)) { console.log('=====', x.path, x.mode.toString(8)); if (process.argv[3] && x.path.includes(process.argv[3])) console.log(x.contents); }
