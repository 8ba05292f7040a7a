import { describe, expect, it } from '@jest/globals';
import { BotConfigError, checkConfigAgainstActions, parseBotConfig } from '../../../../bot/config.js';
import { checksOf } from '../../../../bot/watch/watch-config-schema.js';
import { CATALOG_ENTRIES } from '../../../../ops/catalog.js';

const env = { SLACK_BOT_TOKEN: 'xoxb-123-abc', SLACK_APP_TOKEN: 'xapp-1-abc' };
const base = { clusters: { prod: './prod', qa: './qa' }, resultsChannel: 'C0RESULTS', authorization: { readOnly: { users: ['*'], channels: ['*'] } } };
function problems(watch: unknown): string[] {
  try {
    parseBotConfig({ ...base, watch }, '/etc/rmq-bot.yaml', env);
  } catch (error) {
    if (error instanceof BotConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('watch configuration', () => {
  it('defaults: every 30 s, raise after 1 poll, recover after 2, a 10 min flap window, a chart; the checks that need a person now', () => {
    const c = parseBotConfig({ ...base, watch: { clusters: { prod: { channel: 'C0ALERTS' } } } }, '/etc/rmq-bot.yaml', env);
    const w = c.watch!.clusters.prod!;
    expect(w).toMatchObject({ intervalSeconds: 30, raiseAfter: 1, clearAfter: 2, flapWindowSeconds: 600, chart: true });
    expect([...checksOf(w)]).toEqual([
      'host-unreachable',
      'node-down',
      'not-clustered',
      'maintenance',
      'alarm',
      'partition',
      'no-majority',
      'unsynchronised',
      'listener',
      'vip',
      'certificate-expiry',
      'certificate-name',
      'certificate-trust',
    ]);
    const t = parseBotConfig(
      { ...base, watch: { clusters: { prod: { channel: 'C0ALERTS', thresholds: { queueDepth: 5000, publishDrop: {} } } } } },
      '/x.yaml',
      env,
    ).watch!.clusters.prod!;
    expect(t.thresholds.publishDrop).toEqual({ percent: 80, windowSeconds: 600, minRate: 1 });
    expect(checksOf(t).has('queue-depth')).toBe(true);
    expect(checksOf(t).has('publish-drop')).toBe(true);
    expect(checksOf(t).has('no-consumers')).toBe(false);
  });

  it('names each mistake by its path and says how to fix it', () => {
    expect(problems({ clusters: { staging: { channel: 'C0ALERTS' } } })).toEqual([
      expect.stringMatching(/^watch\.clusters\.staging: "staging" is not one of clusters \(prod, qa\)/),
    ]);
    expect(problems({ clusters: { prod: { channel: '#alerts' } } })).toEqual([
      expect.stringMatching(/^watch\.clusters\.prod\.channel: must be a Slack channel ID/),
    ]);
    expect(problems({ clusters: { prod: { channel: 'C0ALERTS', intervalSeconds: 1 } } })).toEqual([
      expect.stringMatching(/intervalSeconds: polls closer than 5 s/),
    ]);
    expect(problems({ clusters: { prod: { channel: 'C0ALERTS', checks: ['node-down', 'queue-depth'] } } })).toEqual([
      expect.stringMatching(/checks\[1\]: "queue-depth" needs its threshold under thresholds \(queueDepth: 10000\)/),
    ]);
    expect(problems({ clusters: { prod: { channel: 'C0ALERTS', checks: ['node-gone'] } } })[0]).toMatch(/^watch\.clusters\.prod\.checks\[0\]:/);
    expect(problems({ clusters: { prod: { channel: 'C0ALERTS', interval: 30 } } })[0]).toMatch(/interval/);
  });

  it('ack and alerts are words the authorization rules may name', () => {
    const c = parseBotConfig(
      {
        ...base,
        authorization: { ...base.authorization, actions: { ack: { users: ['U0ONCALL'], channels: ['*'] }, alerts: { users: ['*'], channels: ['*'] } } },
      },
      '/x.yaml',
      env,
    );
    expect(() => checkConfigAgainstActions(c, CATALOG_ENTRIES)).not.toThrow();
  });
});
