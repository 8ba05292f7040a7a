import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBotApp } from '../../../bot/app.js';
import { parseBotConfig } from '../../../bot/config.js';
import { StderrLogger } from '../../../bot/logger.js';
import { createOpsDeps } from '../../../bot/ops-wiring.js';
import { FakeSlackApi, type RecordedCall } from '../../support/fake-slack-api.js';
import { postSigned, slashBody, TEST_SIGNING_SECRET } from '../../support/signed-request.js';

export interface BotStatusReply {
  /** HTTP status of Bolt's ack. */
  ackStatus: number;
  /** The last message the bot posted or updated on the fake Web API. */
  final: RecordedCall;
  ms: number;
}

/**
 * `/rmq status` as Slack sends it (a signed slash command to Bolt's receiver) to a real bot wired
 * to the real ops core for one cluster folder, its Web API pointed at a local fake. Everything it
 * starts is stopped before it returns.
 */
export async function statusThroughBot(clusterName: string, dir: string): Promise<BotStatusReply> {
  const api = await new FakeSlackApi().start();
  const home = await mkdtemp(join(tmpdir(), 'rmq-bot-e2e-'));
  const secret = TEST_SIGNING_SECRET;
  try {
    const config = parseBotConfig(
      {
        mode: 'http',
        clusters: { [clusterName]: dir },
        defaultCluster: clusterName,
        resultsChannel: 'CE2ERES1',
        authorization: { readOnly: { users: ['*'], channels: ['*'] } },
        logLevel: 'error',
      },
      join(home, 'rmq-bot.yaml'),
      { SLACK_BOT_TOKEN: 'xoxb-e2e', SLACK_SIGNING_SECRET: secret },
    );
    const bot = buildBotApp(config, await createOpsDeps(config), {
      slackApiUrl: api.apiUrl,
      logger: new StderrLogger('error'),
      clientOptions: { retryConfig: { retries: 0 } },
    });
    const { port } = await bot.start({ port: 0, host: '127.0.0.1' });
    try {
      const t0 = Date.now();
      const ack = await postSigned(
        `http://127.0.0.1:${port}/slack/events`,
        secret,
        slashBody({ user_id: 'UE2E0001', channel_id: 'CE2E0001', text: 'status', response_url: api.responseUrl() }),
      );
      await bot.idle();
      const ms = Date.now() - t0;
      const final = api.of('chat.update').at(-1) ?? api.of('chat.postMessage').at(-1);
      if (!final) throw new Error('the bot posted nothing for /rmq status');
      return { ackStatus: ack.status, final, ms };
    } finally {
      await bot.stop().catch(() => undefined);
    }
  } finally {
    await api.close();
    await rm(home, { recursive: true, force: true });
  }
}
