import { describe, expect, it } from '@jest/globals';
import { alertListMessage, alertMessage, decodeButton } from '../../../../bot/render/alert-blocks.js';
import { flowFromSamples } from '../../../../bot/render/flow-chart.js';
import { alertSteps } from '../../../../bot/watch/alert-steps.js';
import { stepKey, type Incident } from '../../../../bot/watch/incident.js';
import type { HealthFinding, MetricSample } from '../../../../ops/index.js';

const T = Date.UTC(2026, 10, 28, 14, 2);
const finding = (o: Partial<HealthFinding>): HealthFinding => ({
  check: 'node-down',
  severity: 'degraded',
  subject: 'rabbit2',
  what: 'rabbit2 is not running (container exited)',
  action: '`rmq-compose restart rabbit2`',
  run: { action: 'restart', argv: ['rabbit2'] },
  ...o,
});
const incident = (findings: HealthFinding[], o: Partial<Incident> = {}): Incident => ({
  id: 'prod-3',
  cluster: 'prod',
  channel: 'C0ALERTS',
  openedAt: T,
  reopened: 0,
  cleared: new Map(),
  open: new Map(findings.map((f, i) => [`k${i}`, { finding: f, since: T + i * 60_000 }])),
  ...o,
});
const render = (i: Incident) => {
  const steps = alertSteps(i);
  return alertMessage(
    i,
    steps.map((step) => ({ key: stepKey(step), step })),
    30,
    '/rmq',
  );
};
const buttons = (msg: ReturnType<typeof render>) =>
  msg.blocks.flatMap((b) => (b.type === 'actions' ? b.elements : [])) as Array<{ text: { text: string }; value: string; style?: string }>;

describe('the alert message', () => {
  it('says who, what, since when and the runbook command; offers the steps and Ack', () => {
    const msg = render(
      incident([
        finding({}),
        finding({
          check: 'alarm',
          severity: 'critical',
          subject: 'rabbit1',
          what: 'memory alarm on rabbit1: every publisher is blocked',
          action: 'find the queue',
          run: { action: 'status', argv: [] },
        }),
      ]),
    );
    const text = JSON.stringify(msg.blocks);
    expect(text).toContain(':red_circle: *prod* is CRITICAL since 14:02 UTC');
    // worst first, each with its own since and command
    expect(text.indexOf('memory alarm on rabbit1')).toBeLessThan(text.indexOf('rabbit2 is not running'));
    expect(text).toContain('rabbit2 is not running (container exited) _(since 14:02 UTC)_ → `rmq-compose restart rabbit2`');
    expect(text).toContain('`/rmq ack prod-3` silences it until it recovers');
    expect(buttons(msg).map((b) => b.text.text)).toEqual(['Restart rabbit2', 'Show status', 'Show logs rabbit1', 'Ack']);
    expect(buttons(msg)[0]!.style).toBe('primary');
    expect(decodeButton(buttons(msg)[0]!.value)).toEqual({ incident: 'prod-3', step: 'restart rabbit2' });
    expect(msg.text).toMatch(/^prod CRITICAL: /);
  });

  it('offers rotate-certs for a certificate finding where the bot runs it, and not where it does not', () => {
    const expiring = incident([
      finding({
        check: 'certificate-expiry',
        subject: 'rabbit1',
        what: "rabbit1's certificate expires in 3 days",
        action: '`rmq-compose rotate-certs`',
        run: { action: 'rotate-certs', argv: [] },
      }),
    ]);
    expect(alertSteps(expiring).map(stepKey)).toEqual(['rotate-certs', 'status']);
    expect(buttons(render(expiring)).map((b) => b.text.text)).toEqual(['Rotate certificates', 'Show status', 'Ack']);
    expect(alertSteps(expiring, (action) => action !== 'rotate-certs').map(stepKey)).toEqual(['status']);
  });

  it('acked: says by whom, no Ack button; recovered: green, cleared findings struck, no buttons', () => {
    const acked = render(incident([finding({})], { acked: { by: 'U0ALICE', at: T + 120_000 } }));
    expect(JSON.stringify(acked.blocks)).toContain('acknowledged by <@U0ALICE> at 14:04 UTC');
    expect(buttons(acked).map((b) => b.text.text)).not.toContain('Ack');
    const done = incident([], { resolvedAt: T + 5 * 60_000, cleared: new Map([['k', { finding: finding({}), since: T, until: T + 4 * 60_000 }]]) });
    const msg = render(done);
    expect(JSON.stringify(msg.blocks)).toContain(':white_check_mark: *prod* recovered at 14:07 UTC (after 5m00s)');
    expect(JSON.stringify(msg.blocks)).toContain('~rabbit2 is not running (container exited)~ cleared 14:06 UTC');
    expect(buttons(msg)).toEqual([]);
  });

  it('names in findings are escaped; a button value that is not ours decodes to nothing', () => {
    const msg = render(incident([finding({ what: 'queue <!channel> & co over 10 messages', check: 'queue-depth', run: { action: 'status', argv: [] } })]));
    expect(JSON.stringify(msg.blocks)).toContain('queue &lt;!channel&gt; &amp; co');
    expect(decodeButton('restart rabbit2')).toBeUndefined();
    expect(decodeButton('{"i":1}')).toBeUndefined();
  });

  it('/rmq alerts: one line per open alert, unreachable clusters too; a calm line when none', () => {
    const list = alertListMessage([incident([finding({})])], [{ cluster: 'qa', since: T }]);
    expect(list.text).toContain('`prod-3` *prod* DEGRADED since 14:02 UTC: rabbit2 is not running');
    expect(list.text).toContain('*qa* cannot be watched since 14:02 UTC');
    expect(alertListMessage([], []).text).toMatch(/No open alert/);
  });
});

describe('the watcher samples as a chart history', () => {
  it('rates from counters, depths as they are, a node restart (counter fell) skipped', () => {
    const s = (at: number, published: number, ready: number): MetricSample => ({ at, published, delivered: undefined, ready, unacked: 0, queues: [] });
    const flow = flowFromSamples([s(0, 0, 5), s(10_000, 1_000, 7), s(20_000, 10, 9), s(30_000, 510, 3)]);
    expect(flow.publishRate).toEqual([
      { t: 10_000, v: 100 },
      { t: 30_000, v: 50 },
    ]);
    expect(flow.deliverRate).toEqual([]);
    expect(flow.ready.map((p) => p.v)).toEqual([5, 7, 9, 3]);
    expect([flow.from, flow.to]).toEqual([0, 30_000]);
  });
});
