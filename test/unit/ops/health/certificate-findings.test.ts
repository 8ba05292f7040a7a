import { expiryState, daysLeft } from '../../../../contract/tls/index.js';
import { judgeStatus, verdictOf, type ExtraFacts } from '../../../../ops/health/findings.js';
import type { CertificateFact, NodeStatus, StatusData } from '../../../../ops/status/status-view.js';

/** `check`'s certificate findings, judged from fabricated facts. */
const NOW = new Date('2026-11-28T12:00:00Z');
const DAY = 86_400_000;
const none: ExtraFacts = { quorumCritical: [], deprecated: [], support: undefined, notes: [] };
const node = (name: string, running = true): NodeStatus => ({
  name,
  running,
  type: 'disc',
  alarms: [],
  container: running ? 'running' : 'exited',
  clustered: running,
});

/** A read certificate ending `ms` after NOW, trusted and matching unless told. */
function cert(subject: string, ms: number, o: Partial<CertificateFact> = {}): CertificateFact {
  const notAfter = new Date(NOW.getTime() + ms);
  const kind = subject === 'ca' ? 'ca' : subject.includes(':') ? 'load-balancer' : 'node';
  return {
    subject,
    kind,
    source: kind === 'ca' ? 'tls/ca.pem' : '127.0.0.1:5671 (amqps)',
    notAfter: notAfter.toISOString(),
    daysLeft: daysLeft(notAfter, NOW),
    state: expiryState(notAfter, NOW),
    ...(kind === 'ca' ? {} : { trusted: true, nameMatches: true }),
    ...o,
  };
}
const status = (certificates: CertificateFact[] | undefined, nodes = [node('rabbit1'), node('rabbit2'), node('rabbit3')]): StatusData => ({
  cluster: 'secure',
  nodes,
  partitions: [],
  source: 'management API',
  healthy: true,
  ...(certificates ? { certificates } : {}),
});
const judged = (certificates: CertificateFact[] | undefined, nodes?: NodeStatus[]) =>
  judgeStatus(status(certificates, nodes), none).map((f) => [f.check, f.severity, f.subject]);

describe('certificate findings', () => {
  test('no tls (no certificates): nothing; all fine: nothing', () => {
    expect(judged(undefined)).toEqual([]);
    expect(judged([cert('ca', 3000 * DAY), cert('rabbit1', 400 * DAY), cert('lb:5671', 400 * DAY)])).toEqual([]);
  });

  test('expiry boundaries: 30 days left is fine, a moment less is degraded; 7 days is degraded, a moment less critical; past is critical', () => {
    expect(judged([cert('rabbit1', 30 * DAY)])).toEqual([]);
    expect(judged([cert('rabbit1', 30 * DAY - 1)])).toEqual([['certificate-expiry', 'degraded', 'rabbit1']]);
    expect(judged([cert('rabbit1', 7 * DAY)])).toEqual([['certificate-expiry', 'degraded', 'rabbit1']]);
    expect(judged([cert('rabbit1', 7 * DAY - 1)])).toEqual([['certificate-expiry', 'critical', 'rabbit1']]);
    expect(judged([cert('rabbit1', 0)])).toEqual([['certificate-expiry', 'critical', 'rabbit1']]);
    expect(judged([cert('rabbit1', -1)])).toEqual([['certificate-expiry', 'critical', 'rabbit1']]);
  });

  test('the words and the runbook step: rotate-certs', () => {
    const [soon] = judgeStatus(status([cert('rabbit1', 12 * DAY)]), none);
    expect(soon).toEqual({
      check: 'certificate-expiry',
      severity: 'degraded',
      subject: 'rabbit1',
      what: "rabbit1's certificate expires in 12 days (2026-12-10): TLS clients refuse it from then on",
      action: '`rmq-compose rotate-certs`',
      run: { action: 'rotate-certs', argv: [] },
    });
    const [gone] = judgeStatus(status([cert('ca', -2 * DAY)]), none);
    expect(gone!.what).toBe('the cluster CA expired on 2026-11-26: clients that verify against it refuse every certificate it signed');
    expect(gone!.subject).toBe('ca');
    // a CA is replaced, with its overlap, not re-signed
    expect(gone!.run).toEqual({ action: 'rotate-certs', argv: ['--new-ca'] });
    expect(gone!.action).toMatch(/^`rmq-compose rotate-certs --new-ca`/);
    const [lb] = judgeStatus(status([cert('lb:5671', 3 * DAY)]), none);
    expect(lb!.what).toBe(
      "the load balancer's certificate at lb:5671 (127.0.0.1:5671 (amqps)) expires in 3 days (2026-12-01): TLS clients refuse it from then on",
    );
    expect(verdictOf([lb!])).toBe('critical');
  });

  test('not signed by the cluster CA: trust, critical; names not matching: name, critical, with why', () => {
    const f = judgeStatus(
      status([
        cert('rabbit1', 400 * DAY, { trusted: false }),
        cert('lb:5671', 400 * DAY, {
          nameMatches: false,
          nameProblems: ["10.0.0.100 (a name clients use) is not among the certificate's IP addresses (none)"],
        }),
      ]),
      none,
    );
    expect(f.map((x) => [x.check, x.severity, x.subject])).toEqual([
      ['certificate-trust', 'critical', 'rabbit1'],
      ['certificate-name', 'critical', 'lb:5671'],
    ]);
    expect(f[0]!.what).toBe("rabbit1's certificate is not signed by the cluster CA: clients that verify against it refuse to connect");
    expect(f[1]!.what).toContain('does not match the names clients use: 10.0.0.100 (a name clients use) is not among');
  });

  test("unreadable: a running node's TLS port that does not answer or fails the handshake is critical; a down node or LB port is left to node-down and listener", () => {
    const refused = { error: 'ECONNREFUSED', unreachable: true };
    const facts: CertificateFact[] = [
      { subject: 'rabbit1', kind: 'node', source: '127.0.0.1:5671 (amqps)', ...refused },
      { subject: 'rabbit2', kind: 'node', source: '127.0.0.1:5672 (amqps)', error: 'TLS handshake failed (ECONNRESET)' },
      { subject: 'rabbit3', kind: 'node', source: '127.0.0.1:5673 (amqps)', ...refused },
      { subject: 'lb:5669', kind: 'load-balancer', source: '10.0.0.100:5669 (amqps)', ...refused },
      { subject: 'ca', kind: 'ca', source: 'tls/ca.pem', error: 'cannot read the cluster CA tls/ca.pem (ENOENT)' },
    ];
    const f = judgeStatus(status(facts, [node('rabbit1'), node('rabbit2'), node('rabbit3', false)]), none).filter((x) => x.check.startsWith('certificate'));
    expect(f.map((x) => [x.check, x.severity, x.subject])).toEqual([
      ['certificate-trust', 'critical', 'rabbit1'],
      ['certificate-trust', 'critical', 'rabbit2'],
      ['certificate-trust', 'critical', 'ca'],
    ]);
    expect(f[0]!.what).toBe('rabbit1 runs but its TLS port 127.0.0.1:5671 (amqps) does not answer (ECONNREFUSED): TLS clients cannot connect to it');
    expect(f[0]!.action).toBe('`rmq-compose logs rabbit1` says why the TLS listener fails; then `rmq-compose rotate-certs`');
    expect(f[2]!.run).toBeUndefined();
  });
});
