import type { AuditRecord, ClusterHandle, LockHolder } from '../../../ops/index.js';
import { OpsCore, runAction } from '../../../ops/index.js';
import type { Command, CommandResult, CommandRunner } from '../../../ops/runner/command.js';
import { CONFIRM_ACTION_ID } from '../../../bot/render/confirm-blocks.js';
import { messageText, type RecordedCall } from '../../support/fake-slack-api.js';
import { MemoryAudit, MemoryLock } from '../../support/memory-ops.js';
import { clusterStatusJson, fakeTools, keyOf, PS, psJson } from '../../unit/ops/fake-runner.js';
import { ADMIN, OPS_CHANNEL, startBotFixture, type BotFixture } from './helpers/bot-fixture.js';

/**
 * One request, three surfaces: `restart rabbit2` by a user allowed to, from the terminal
 * (runAction, the CLI's own entry), as a slash command, and from an alert's Restart button.
 * The real actions and pipeline run over one engine, scripted (rabbit2 down until restarted):
 * the same run's audit lines, the same lock taken and released, the same result. The alert's
 * path adds only what the one confirmation rule asks of a press on a machine's message.
 */
const R = [1, 2, 3].map((n) => `rabbit@rabbit${n}`);

/** Docker as the cluster answers it: rabbit2 down until `compose restart rabbit2`. */
class FakeEngine implements CommandRunner {
  rabbit2Up = false;
  readonly calls: string[] = [];
  async run(command: Command): Promise<CommandResult> {
    const key = keyOf(command);
    this.calls.push(key);
    const ok = (stdout = ''): CommandResult => ({ command: key, exitCode: 0, stdout, stderr: '', durationMs: 1, timedOut: false });
    if (key === 'compose version --short') return ok('2.26.1\n');
    if (PS.test(key))
      return ok(
        psJson([
          ['rabbit1', 'running', 'healthy'],
          ['rabbit2', this.rabbit2Up ? 'running' : 'exited', ...(this.rabbit2Up ? (['healthy'] as const) : [])],
          ['rabbit3', 'running', 'healthy'],
        ]).stdout,
      );
    if (/rabbitmqctl -q cluster_status/.test(key))
      return ok(clusterStatusJson({ disc: R, running: this.rabbit2Up ? R : [R[0]!, R[2]!], version: '4.0.5' }).stdout);
    if (key === 'restart rabbit2') {
      this.rabbit2Up = true;
      return ok();
    }
    return { command: key, exitCode: 1, stdout: '', stderr: `fake engine: not scripted: ${key}`, durationMs: 1, timedOut: false };
  }
}

/** The lock every surface shares, recording who took it. */
class RecordingLock extends MemoryLock {
  readonly taken: string[] = [];
  override async acquire(cluster: ClusterHandle, holder: LockHolder) {
    const got = await super.acquire(cluster, holder);
    if ('lease' in got) this.taken.push(`${holder.action} ${holder.args.join(' ')}`);
    return got;
  }
}

const posts = (f: BotFixture) => f.api.of('chat.postMessage').filter((c) => c.params.channel === OPS_CHANNEL);
const buttonsOf = (call: RecordedCall) =>
  ((call.params.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string; text: { text: string } }> }>) ?? []).flatMap((b) =>
    b.type === 'actions' ? (b.elements ?? []) : [],
  );
/** A run's lines with what depends on who asked and when left out. */
const runLines = (entries: readonly AuditRecord[]) =>
  entries.filter((e) => e.action === 'restart').map((e) => ({ cluster: e.cluster, action: e.action, args: e.args, result: e.result, detail: e.detail }));

describe('restart rabbit2 from the terminal, a slash command and an alert button', () => {
  let f: BotFixture;
  let engine: FakeEngine;
  let lock: RecordingLock;
  let audit: MemoryAudit;

  beforeEach(async () => {
    engine = new FakeEngine();
    lock = new RecordingLock();
    f = await startBotFixture({
      ops: (_state, a) => ((audit = a), new OpsCore({ audit: { sink: a }, lock, tools: fakeTools(engine) })),
      extraConfig: { watch: { clusters: { seed: { channel: OPS_CHANNEL, intervalSeconds: 30 } } } },
    });
  });
  afterEach(async () => f.close());

  test('the same run, lock and result from each', async () => {
    // 1. the terminal: the CLI's own entry, with its actor
    const fromTerminal = await runAction('restart', ['rabbit2'], {
      dir: f.clusterDir,
      actor: { via: 'cli', id: 'alice' },
      audit,
      lock,
      tools: fakeTools(engine),
    });
    const terminal = { lines: runLines(audit.entries), lock: lock.taken.splice(0), headline: fromTerminal.headline };
    audit.entries.length = 0;

    // 2. a slash command by an admin in the ops channel (restart is not dangerous: it runs at once)
    engine.rabbit2Up = false;
    await f.slash(ADMIN, 'restart rabbit2');
    await f.api.waitFor(() => audit.entries.some((e) => e.action === 'restart' && e.result === 'ok'), 'the slash command to finish');
    await f.bot.idle();
    const slashResult =
      f.api
        .of('chat.update')
        .map(messageText)
        .find((t) => t.includes('rabbit2 restarted')) ?? '';
    const slash = { lines: runLines(audit.entries), lock: lock.taken.splice(0) };
    audit.entries.length = 0;

    // 3. the watcher sees rabbit2 down (a real check over the same engine) and offers Restart
    engine.rabbit2Up = false;
    const watcher = f.bot.runtime.watcher!;
    await watcher.pollNow('seed');
    await watcher.pollNow('seed');
    const alert = posts(f).find((c) => messageText(c).includes('rabbit2 is not running'))!;
    const restart = buttonsOf(alert).find((b) => b.text.text === 'Restart rabbit2')!;
    await f.click(ADMIN, restart.action_id, restart.value, String(alert.response?.ts));
    await f.api.waitFor(() => posts(f).some((c) => messageText(c).includes(CONFIRM_ACTION_ID)), 'the confirmation');
    const confirm = posts(f).find((c) => messageText(c).includes(CONFIRM_ACTION_ID))!;
    const run = buttonsOf(confirm).find((b) => b.action_id === CONFIRM_ACTION_ID)!;
    await f.click(ADMIN, CONFIRM_ACTION_ID, run.value, String(confirm.params.ts));
    await f.api.waitFor(() => audit.entries.some((e) => e.action === 'restart' && e.result === 'ok'), 'the press to finish');
    await f.bot.idle();
    const press = { lines: runLines(audit.entries), lock: lock.taken.splice(0) };

    const expected = [
      { cluster: 'seed', action: 'restart', args: ['rabbit2'], result: 'started', detail: 'restart rabbit2 on seed' },
      { cluster: 'seed', action: 'restart', args: ['rabbit2'], result: 'ok', detail: 'rabbit2 restarted and clustered' },
    ];
    expect(terminal).toEqual({ lines: expected, lock: ['restart rabbit2'], headline: 'rabbit2 restarted and clustered' });
    expect(slash).toEqual({ lines: expected, lock: ['restart rabbit2'] });
    expect(slashResult).toContain('rabbit2 restarted and clustered');
    // the press: the one rule asks first (a line says so), then exactly the same run, saying who confirmed
    expect(press.lines).toEqual([
      { ...expected[0], result: 'pending', detail: expect.any(String) },
      expected[0],
      { ...expected[1], detail: `rabbit2 restarted and clustered; confirmed by ${ADMIN}` },
    ]);
    expect(press.lock).toEqual(['restart rabbit2']);
    expect(await lock.holder({ dir: f.clusterDir } as ClusterHandle)).toBeUndefined();
    expect(engine.calls.filter((c) => c === 'restart rabbit2')).toHaveLength(3);
  });
});
