import { ESLint } from 'eslint';
import { join } from 'node:path';
import { packageRoot } from '../../lib/package-root.js';

/** The layer rules in eslint.config.js, kept honest: each forbidden import is reported, the allowed ones are not. */
const cases: Array<[file: string, source: string, allowed: boolean]> = [
  ['generator/x.ts', "import { OpsCore } from '../ops/index.js';", false],
  ['generator/render/x.ts', "import type { BotConfig } from '../../bot/config.js';", false],
  ['ops/x.ts', "import { loadSpec } from '../generator/spec/load-spec.js';", false],
  ['ops/actions/x.ts', "import type { BotDeps } from '../../bot/ports.js';", false],
  ['contract/x.ts', "import { parseVersion } from '../generator/spec/version.js';", false],
  ['bot/x.ts', "import { statusAction } from '../ops/actions/status.js';", false],
  ['bot/render/x.ts', "import { renderCluster } from '../../generator/render/render-cluster.js';", false],
  ['cli/x.ts', "import { FileClusterLock } from '../ops/lock.js';", false],
  ['bot/x.ts', "import { OpsCore } from '../ops/index.js';", true],
  ['cli/x.ts', "import { CATALOG_ENTRIES } from '../ops/catalog.js';", true],
  ['cli/commands/x.ts', "import { planCluster } from '../../generator/plan.js';", true],
  ['ops/x.ts', "import { parseManifest } from '../contract/manifest.js';", true],
  ['ops/actions/x.ts', "import { planCluster } from '../../generator/index.js';", true],
  ['ops/actions/x.ts', "import { planCluster } from '../../generator/plan.js';", false],
  ['ops/request/x.ts', "import { restartAction } from '../actions/restart.js';", false],
  ['ops/request/x.ts', "import type { BotRuntime } from '../../bot/runtime.js';", false],
  ['ops/request/x.ts', "import type { ActionResult } from '../action.js';", true],
  ['ops/request/x.ts', "import { OpsCore } from '../pipeline/ops-core.js';", true],
  // one file per action: what two actions share lives in its concern's folder
  ['ops/actions/x.ts', "import { restartAction } from './restart.js';", false],
  ['ops/actions/x.ts', "import { gatherStatus } from './status.js';", false],
  ['ops/actions/x.ts', "import { defineAction } from '../action.js';", true],
  ['ops/steps/x.ts', "import { restartAction } from '../actions/restart.js';", false],
  ['ops/health/x.ts', "import type { CheckData } from '../actions/check.js';", false],
  ['ops/actions/x.ts', "import { rollNode } from '../steps/roll-node.js';", true],
  ['ops/pipeline/action-table.ts', "import { restartAction } from '../actions/restart.js';", true],
];

/** Lints each case as the file it names and asks whether `ruleId` said anything. */
function ruleCases(title: string, ruleId: string, rows: Array<[file: string, source: string, allowed: boolean]>): void {
  describe(title, () => {
    const eslint = new ESLint({ cwd: packageRoot() });
    test.each(rows)('%s: %s → allowed %s', async (file, source, allowed) => {
      const [result] = await eslint.lintText(`${source}\nexport const used = 1;\n`, { filePath: join(packageRoot(), file) });
      expect(result!.messages.filter((m) => m.ruleId === ruleId).length === 0).toBe(allowed);
    });
  });
}

ruleCases('import boundaries between the layers', 'no-restricted-imports', cases);

/** One clock: outside lib/clock.ts (and tests), product code never reads the wall clock itself. */
ruleCases('one clock', 'no-restricted-syntax', [
  ['ops/actions/x.ts', 'export const t = Date.now();', false],
  ['generator/x.ts', 'export const d = new Date();', false],
  ['bot/watch/x.ts', 'export const f = () => Date.now();', false],
  ['contract/x.ts', 'export const d = new Date(0);', true],
  ['lib/clock.ts', 'export const t = Date.now();', true],
  ['test/unit/x.test.ts', 'export const t = Date.now();', true],
]);

/** No import cycle among the project's files (scripts/eslint-import-cycles.mjs), type-only imports included. */
ruleCases('no import cycle', 'local/no-import-cycle', [
  // findings.ts imports certificate-findings.ts: importing it back closes a circle
  ['ops/health/certificate-findings.ts', "import { judgeStatus } from './findings.js';", false],
  ['ops/health/certificate-findings.ts', "import type { HealthFinding } from './findings.js';", false],
  ['ops/health/x.ts', "import { judgeStatus } from './findings.js';", true],
  ['ops/health/certificate-findings.ts', "import type { HealthFinding } from './health-finding.js';", true],
]);
