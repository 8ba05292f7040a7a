import { rm } from 'node:fs/promises';
import { ClusterBusyError, OpsCore, type ActionDefinition, type ClusterHandle } from '../../../../ops/index.js';
import { loadCluster } from '../../../../ops/load-cluster.js';
import { fakeManifest, MemoryAudit, MemoryLock } from '../../../support/memory-ops.js';
import { clusterDir } from '../fake-runner.js';

/**
 * An action that changes a second cluster (migrate's green) holds that cluster's lock for the
 * rest of its run and writes its lines in that cluster's audit log too: the pipeline gives it
 * `alsoHold`, and releases and records with the action's own outcome.
 */
const actor = { via: 'cli' as const, id: 'tester' };

describe('ctx.alsoHold: a second cluster under the same run', () => {
  let blueDir: string;
  let greenDir: string;
  let green: ClusterHandle;
  let audit: MemoryAudit;
  let lock: MemoryLock;
  const seen: string[] = [];

  function action(fail: boolean): ActionDefinition {
    return {
      name: 'migrate',
      usage: 'migrate',
      summary: 'migrate',
      mutating: true,
      dangerous: false,
      parse: () => ({}),
      run: async (ctx) => {
        await ctx.alsoHold!(green);
        await ctx.alsoHold!(green); // asked twice: held once
        seen.push(`green held by ${(await lock.holder(green))?.action}`);
        if (fail) throw new ClusterBusyError('stand-in failure', { actor, action: 'x', args: [], since: new Date(0) });
        return { ok: true, headline: 'moved', text: '', data: {} };
      },
    };
  }
  const core = (fail = false) => new OpsCore({ actions: [action(fail)], audit: { sink: audit }, lock });
  const run = async (c: OpsCore) => c.execute(await c.prepare({ action: 'migrate', argv: [], actor, dir: blueDir }));

  beforeAll(async () => {
    blueDir = await clusterDir(fakeManifest('seed'));
    greenDir = await clusterDir(fakeManifest('seed-green'));
    green = await loadCluster(greenDir);
  });
  afterAll(async () => {
    await rm(blueDir, { recursive: true, force: true });
    await rm(greenDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    audit = new MemoryAudit();
    lock = new MemoryLock();
    seen.length = 0;
  });

  test("held while the action runs, released after; both clusters' logs get the intent and the outcome", async () => {
    await run(core());
    expect(seen).toEqual(['green held by migrate']);
    expect(await lock.holder(green)).toBeUndefined();
    expect(audit.entries.map((e) => `${e.cluster} ${e.result} ${e.detail ?? ''}`)).toEqual([
      'seed started migrate on seed',
      'seed-green started migrate on seed (changes seed-green too)',
      'seed ok moved',
      'seed-green ok moved',
    ]);
  });

  test('a failed run: both logs say so, and the second cluster is free again', async () => {
    await expect(run(core(true))).rejects.toThrow('stand-in failure');
    expect(audit.outcomes.map((e) => `${e.cluster} ${e.result}`)).toEqual(['seed failed', 'seed-green failed']);
    expect(await lock.holder(green)).toBeUndefined();
  });

  test('someone else holds the second cluster: the run stops there with who it is, nothing written in its log', async () => {
    await lock.acquire(green, { actor: { via: 'slack', id: 'U0ALICE' }, action: 'restart', args: ['rabbit2'], since: new Date(0) });
    await expect(run(core())).rejects.toThrow(/seed-green is busy|U0ALICE/);
    expect(seen).toEqual([]);
    expect(audit.entries.filter((e) => e.cluster === 'seed-green')).toEqual([]);
    expect(audit.outcomes.map((e) => `${e.cluster} ${e.result}`)).toEqual(['seed failed']);
  });
});
