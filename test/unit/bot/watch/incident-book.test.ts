import type { HealthFinding } from '../../../../ops/index.js';
import { ClusterAlerts, type AlertEffect } from '../../../../bot/watch/incident-book.js';

/** The rules of when the watcher speaks: pure, so every timing case is cheap to pin down. */
const MIN = 60_000;
const nodeDown = (node = 'rabbit2'): HealthFinding => ({
  check: 'node-down',
  severity: 'degraded',
  subject: node,
  what: `${node} is not running (container exited)`,
  action: `\`rmq-compose restart ${node}\``,
  run: { action: 'restart', argv: [node] },
});
const alarm: HealthFinding = {
  check: 'alarm',
  severity: 'critical',
  subject: 'rabbit1',
  what: 'memory alarm on rabbit1: every publisher in the cluster is blocked until it clears',
  action: 'find the queue',
  run: { action: 'status', argv: [] },
};
const book = (o: Partial<{ raiseAfter: number; clearAfter: number; flapWindowMs: number }> = {}) => {
  let n = 0;
  return new ClusterAlerts('prod', { channel: 'CALERTS1', raiseAfter: 1, clearAfter: 2, flapWindowMs: 10 * MIN, ...o }, () => `prod-${++n}`);
};
const kinds = (effects: AlertEffect[]) => effects.map((e) => e.kind);
/** What a thread line or notice says, as Slack gets it. */
const said = (e: AlertEffect | undefined) => (e && 'text' in e ? e.text.markup : '');

describe('ClusterAlerts', () => {
  test('a bad poll opens one alert; staying bad repeats nothing; two good polls recover it in its thread', () => {
    const a = book();
    expect(kinds(a.advance({ at: 0, findings: [] }))).toEqual([]);
    const opened = a.advance({ at: 1 * MIN, findings: [nodeDown()] });
    expect(kinds(opened)).toEqual(['open']);
    expect(a.incident?.id).toBe('prod-1');
    expect(a.advance({ at: 2 * MIN, findings: [nodeDown()] })).toEqual([]);
    expect(a.advance({ at: 3 * MIN, findings: [nodeDown()] })).toEqual([]);
    // first good poll: the message shows it cleared, but recovery waits for the second
    expect(kinds(a.advance({ at: 4 * MIN, findings: [] }))).toEqual(['refresh']);
    const recovered = a.advance({ at: 5 * MIN, findings: [] });
    expect(kinds(recovered)).toEqual(['refresh', 'thread']);
    expect(said(recovered[1])).toMatch(/Recovered at 00:05 UTC, 4m00s after it started/);
    expect(a.incident).toBeUndefined();
    expect(a.find('prod-1')?.resolvedAt).toBe(5 * MIN);
  });

  test('raiseAfter damps a one-poll blip', () => {
    const a = book({ raiseAfter: 2 });
    expect(a.advance({ at: 0, findings: [nodeDown()] })).toEqual([]);
    expect(a.advance({ at: MIN, findings: [] })).toEqual([]);
    expect(a.advance({ at: 2 * MIN, findings: [nodeDown()] })).toEqual([]);
    expect(kinds(a.advance({ at: 3 * MIN, findings: [nodeDown()] }))).toEqual(['open']);
  });

  test('flapping: back within the window reopens the same alert (a thread line, no new post); after it, a new alert', () => {
    const a = book({ clearAfter: 1 });
    a.advance({ at: 0, findings: [nodeDown()] });
    a.advance({ at: MIN, findings: [] });
    const again = a.advance({ at: 2 * MIN, findings: [nodeDown()] });
    expect(kinds(again)).toEqual(['refresh', 'thread']);
    expect(a.incident?.id).toBe('prod-1');
    expect(a.incident?.reopened).toBe(1);
    a.advance({ at: 3 * MIN, findings: [] });
    expect(kinds(a.advance({ at: 20 * MIN, findings: [nodeDown()] }))).toEqual(['open']);
    expect(a.incident?.id).toBe('prod-2');
  });

  test('a new finding updates the message; turning critical notifies in the thread unless acked', () => {
    const a = book();
    a.advance({ at: 0, findings: [nodeDown()] });
    const worse = a.advance({ at: MIN, findings: [nodeDown(), alarm] });
    expect(kinds(worse)).toEqual(['refresh', 'thread']);
    expect(said(worse[1])).toMatch(/Now CRITICAL: memory alarm/);
    // after an ack the same change is only a silent update
    const b = book();
    b.advance({ at: 0, findings: [nodeDown()] });
    expect(b.ack('prod-1', 'U1', MIN)?.acked).toEqual({ by: 'U1', at: MIN });
    expect(kinds(b.advance({ at: 2 * MIN, findings: [nodeDown(), alarm] }))).toEqual(['refresh']);
    expect(b.ack('prod-9', 'U1', MIN)).toBeUndefined();
  });

  test('a finding that cleared while others stay is struck, and its numbers moving is one finding', () => {
    const a = book();
    const q = (n: number): HealthFinding => ({
      check: 'unsynchronised',
      severity: 'degraded',
      subject: `orders (${n}/3 members online)`,
      what: `quorum queue orders (${n}/3 members online)`,
      action: 'x',
    });
    a.advance({ at: 0, findings: [nodeDown(), q(1)] });
    a.advance({ at: MIN, findings: [nodeDown(), q(2)] });
    expect(a.incident?.open.size).toBe(2);
    a.advance({ at: 2 * MIN, findings: [nodeDown()] });
    expect([...a.incident!.cleared.values()].map((t) => [t.finding.subject, t.until])).toEqual([['orders (2/3 members online)', 2 * MIN]]);
  });

  test('unreachable is said once, its return once, and it neither opens nor recovers an alert', () => {
    const a = book();
    const first = a.advance({ at: 0, unreachable: 'Docker engine does not answer' });
    expect(kinds(first)).toEqual(['notice']);
    expect(said(first[0])).toMatch(/prod\* cannot be watched since 00:00 UTC: Docker engine does not answer/);
    for (let i = 1; i < 10; i += 1) expect(a.advance({ at: i * MIN, unreachable: 'still not' })).toEqual([]);
    expect(a.unreachableSince).toBe(0);
    const back = a.advance({ at: 10 * MIN, findings: [] });
    expect(kinds(back)).toEqual(['notice']);
    expect(said(back[0])).toMatch(/answers again \(unreachable for 10m00s\)/);
    expect(a.incident).toBeUndefined();
  });
});
