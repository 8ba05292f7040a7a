import { afterEach, describe, expect, it } from '@jest/globals';
import { execa, type ResultPromise } from 'execa';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, cleanEnv, sameWallClockEnv } from '../../helpers/cli.js';
import { fakeManifest, MemoryAudit, MemoryLock, writeFakeCluster } from '../../support/memory-ops.js';
import { postSigned, slashBody, TEST_SIGNING_SECRET } from '../../support/signed-request.js';
import { FakeSlackApi, messageText } from '../../support/fake-slack-api.js';
import { OpsCore, type ActionDefinition } from '../../../ops/index.js';
import { BOT_EXIT } from '../../../bot/main.js';
import { ADMIN, OPS_CHANNEL, startBotFixture, type BotFixture } from './helpers/bot-fixture.js';
import { BOT_TOKEN } from './helpers/fake-actions.js';

/**
 * `rmq-compose bot` stops when told (SIGTERM/SIGINT), also with Slack's Web API out of reach:
 * the built CLI, in http mode on 127.0.0.1, with its Web API pointed at a closed loopback port.
 * The bounds are behaviour, not benchmarks: generous for a loaded CI machine.
 */

/** A loopback port nothing listens on: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface SpawnedBot {
  child: ResultPromise<{ reject: false; all: false }>;
  stderr: () => string;
  url: string;
  dir: string;
  slackPort: number;
}

const dirs: string[] = [];
const children: Array<ResultPromise<{ reject: false; all: false }>> = [];
const apis: FakeSlackApi[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) {
    c.kill('SIGKILL');
    await c;
  }
  for (const api of apis.splice(0)) await api.close();
  // a fake docker the bot's exit left behind (it should not)
  for (const dir of dirs) {
    const pids = await readFile(join(dir, 'docker-calls'), 'utf8').catch(() => '');
    for (const pid of pids.split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone already, as it should be
      }
    }
  }
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/**
 * The bot from the built CLI, its config in a fresh folder with one fake cluster; a `docker` on
 * PATH that records its pid and then sleeps (so any action that asks Docker runs "forever").
 */
async function spawnBot(stopGraceSeconds: number, slack: 'unreachable' | 'fake'): Promise<SpawnedBot> {
  const dir = await mkdtemp(join(tmpdir(), 'rmq-bot-stop-'));
  dirs.push(dir);
  const clusterDir = join(dir, 'seed');
  const bin = join(dir, 'bin');
  await mkdir(clusterDir);
  await mkdir(bin);
  await writeFakeCluster(clusterDir, fakeManifest('seed'), 'RABBITMQ_DEFAULT_PASS=secret-pass\nRABBITMQ_ERLANG_COOKIE="cookie-cookie"\n');
  await writeFile(join(bin, 'docker'), `#!/bin/sh\necho $$ >> '${join(dir, 'docker-calls')}'\nexec sleep 60\n`);
  await chmod(join(bin, 'docker'), 0o755);
  const api = slack === 'fake' ? await new FakeSlackApi().start() : undefined;
  if (api) apis.push(api);
  const slackPort = api?.port ?? (await closedPort());
  const config = {
    mode: 'http',
    http: { port: 0, host: '127.0.0.1' },
    clusters: { seed: './seed' },
    resultsChannel: 'CRESULT1',
    authorization: { readOnly: { users: ['*'], channels: ['*'] }, mutating: { users: [ADMIN], channels: [OPS_CHANNEL] } },
    slackApiUrl: `http://127.0.0.1:${slackPort}/api/`,
    stopGraceSeconds,
  };
  await writeFile(join(dir, 'rmq-bot.yaml'), JSON.stringify(config, null, 2));
  // the bot checks our signed requests' timestamps against its wall clock: it must be ours
  const env = cleanEnv({
    ...sameWallClockEnv(),
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
  });
  const child = execa('node', [CLI, 'bot', '--config', join(dir, 'rmq-bot.yaml')], {
    cwd: dir,
    env,
    extendEnv: false,
    reject: false,
    all: false,
    timeout: 60_000,
  });
  children.push(child);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const port = await until(
    () => /listening on port (\d+)/.exec(stderr)?.[1],
    'the bot to listen',
    () => stderr,
  );
  return { child, stderr: () => stderr, url: `http://127.0.0.1:${port}/slack/events`, dir, slackPort };
}

async function until<T>(get: () => T | undefined, what: string, log: () => string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; stderr:\n${log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends the signal and resolves with the exit code and the milliseconds from the signal to the exit. */
async function signalAndTime(bot: SpawnedBot, signal: NodeJS.Signals = 'SIGTERM'): Promise<{ exitCode: number | undefined; ms: number }> {
  const sent = performance.now();
  bot.child.kill(signal);
  const result = await bot.child;
  return { exitCode: result.exitCode, ms: performance.now() - sent };
}

/** Resolves once the file exists (the fake docker has run). */
async function untilFile(file: string, log: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await readFile(file, 'utf8').then(
      () => true,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${file}; stderr:\n${log()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('rmq-compose bot stops when told (the built CLI)', () => {
  it('SIGTERM with nothing running: exits 0 within seconds, having said once that Slack cannot be reached', async () => {
    const bot = await spawnBot(30, 'unreachable');
    // long enough for Bolt's own auth.test to be waiting for its next retry: what kept it alive
    await new Promise((r) => setTimeout(r, 1500));
    const { exitCode, ms } = await signalAndTime(bot);
    process.stdout.write(`bot stop: SIGTERM → exit in ${Math.round(ms)} ms (nothing running, Slack unreachable)\n`);
    expect(exitCode).toBe(BOT_EXIT.stopped);
    expect(ms).toBeLessThan(15_000);
    const lines = bot.stderr().split('\n');
    const unreachable = lines.filter((l) => l.includes("Slack's Web API"));
    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]).toContain(`Slack's Web API at http://127.0.0.1:${bot.slackPort}/api/ cannot be reached (fetch failed: ECONNREFUSED)`);
    expect(unreachable[0]).toMatch(/^\S+ ERROR /);
    // no retry storm: web-api's per-attempt warnings stay at debug
    expect(lines.filter((l) => l.includes('http request failed'))).toEqual([]);
    expect(lines.some((l) => l.includes('SIGTERM: stopping'))).toBe(true);
    expect(lines.some((l) => / INFO \[[^\]]+\] stopped$/.test(l))).toBe(true);
  });

  // Slack reachable (a local fake) for these: while auth.test fails, Bolt answers no request
  it('a running action delays the exit up to the grace and no longer (exit 0, a warning says it was cut off)', async () => {
    const graceSeconds = 2;
    const bot = await spawnBot(graceSeconds, 'fake');
    await postSigned(
      bot.url,
      TEST_SIGNING_SECRET,
      slashBody({ user_id: ADMIN, channel_id: OPS_CHANNEL, text: 'status', response_url: `http://127.0.0.1:${bot.slackPort}/response/1` }),
    );
    await untilFile(join(bot.dir, 'docker-calls'), bot.stderr);
    const { exitCode, ms } = await signalAndTime(bot);
    process.stdout.write(`bot stop: SIGTERM → exit in ${Math.round(ms)} ms (an action running, grace ${graceSeconds}s)\n`);
    expect(exitCode).toBe(0);
    // the grace was given (less a little: the timer starts in the bot, after the signal arrives)...
    expect(ms).toBeGreaterThanOrEqual(graceSeconds * 1000 - 100);
    // ...and no more than that, give or take a loaded machine
    expect(ms).toBeLessThan(graceSeconds * 1000 + 8_000);
    expect(bot.stderr()).toContain(`the grace of ${graceSeconds}s ran out with 1 command(s) still running`);
  });

  it('a second SIGTERM during the grace exits at once with 143', async () => {
    const bot = await spawnBot(60, 'fake');
    await postSigned(
      bot.url,
      TEST_SIGNING_SECRET,
      slashBody({ user_id: ADMIN, channel_id: OPS_CHANNEL, text: 'status', response_url: `http://127.0.0.1:${bot.slackPort}/response/1` }),
    );
    await untilFile(join(bot.dir, 'docker-calls'), bot.stderr);
    bot.child.kill('SIGTERM');
    await until(() => (bot.stderr().includes('SIGTERM: stopping') ? true : undefined), 'the first SIGTERM to be taken', bot.stderr);
    const { exitCode, ms } = await signalAndTime(bot);
    expect(exitCode).toBe(BOT_EXIT.SIGTERM);
    expect(ms).toBeLessThan(10_000);
    expect(bot.stderr()).toContain('SIGTERM again: exiting at once (code 143)');
  });
});

describe('stopping the bot app (in process): running actions are told to stop', () => {
  let f: BotFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  /** An action that waits, stopping at its next safe step when its signal says so. */
  const waiting = (): ActionDefinition => ({
    name: 'status',
    usage: 'status',
    summary: 'waits',
    mutating: false,
    dangerous: false,
    parse: () => ({}),
    run: async (ctx) => {
      ctx.progress({ id: 'wait', title: 'wait for the cluster', state: 'running' });
      await new Promise<void>((resolve, reject) => {
        if (ctx.signal?.aborted) return reject(ctx.signal.reason);
        const timer = setTimeout(resolve, 60_000);
        ctx.signal?.addEventListener('abort', () => (clearTimeout(timer), reject(ctx.signal?.reason)), { once: true });
      });
      return { ok: true, headline: 'done', text: '', data: null };
    },
  });

  it('an action that heeds its signal ends at once; its outcome is recorded and shown as stopped', async () => {
    const audit = new MemoryAudit();
    f = await startBotFixture({ ops: () => new OpsCore({ actions: [waiting()], audit: { sink: audit }, lock: new MemoryLock() }) });
    await f.slash(ADMIN, 'status');
    await f.api.waitFor(() => f!.api.of('chat.update').some((c) => messageText(c).includes('wait for the cluster')), 'the action to run');
    const started = performance.now();
    const outcome = await f.bot.stop({ graceMs: 20_000, reason: 'the bot is stopping (SIGTERM)' });
    expect(outcome).toEqual({ finished: true, left: 0 });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(audit.outcomes.at(-1)).toMatchObject({ action: 'status', result: 'failed' });
    expect(audit.outcomes.at(-1)!.detail).toContain('the bot is stopping (SIGTERM): stopped at its next safe step');
    expect(messageText(f.api.of('chat.update').at(-1)!)).toContain('stopped at its next safe step');
  });

  it('an action that does not stop is let go when the grace runs out', async () => {
    const audit = new MemoryAudit();
    const stubborn: ActionDefinition = { ...waiting(), run: () => new Promise(() => undefined) };
    f = await startBotFixture({
      ops: () => new OpsCore({ actions: [stubborn], audit: { sink: audit }, lock: new MemoryLock() }),
      extraConfig: { stopGraceSeconds: 1 },
    });
    await f.slash(ADMIN, 'status');
    await f.api.waitFor(() => f!.api.of('chat.postMessage').length > 0, 'the live message');
    const started = performance.now();
    const outcome = await f.bot.stop({ graceMs: 1000 });
    const ms = performance.now() - started;
    expect(outcome).toEqual({ finished: false, left: 1 });
    expect(ms).toBeGreaterThanOrEqual(990);
    expect(ms).toBeLessThan(5_000);
  });
});
