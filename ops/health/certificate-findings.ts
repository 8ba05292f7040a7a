import type { CertificateFact, StatusData } from '../status/status-view.js';
import type { HealthFinding, RunbookStep } from './health-finding.js';

const ROTATE = '`rmq-compose rotate-certs`';
const ROTATE_STEP: RunbookStep = { action: 'rotate-certs', argv: [] };
/** An ending CA is replaced, not re-signed: a new one trusted beside it first (then two more runs). */
const NEW_CA = '`rmq-compose rotate-certs --new-ca` (then `rotate-certs` once clients trust the new tls/ca.pem, later `--retire-previous-ca`)';
const NEW_CA_STEP: RunbookStep = { action: 'rotate-certs', argv: ['--new-ca'] };

/** "rabbit1's certificate", "the load balancer's certificate at lb:5671", "the cluster CA". */
function whose(c: CertificateFact): string {
  if (c.kind === 'ca') return 'the cluster CA';
  return c.kind === 'node' ? `${c.subject}'s certificate` : `the load balancer's certificate at ${c.subject} (${c.source})`;
}

function expiryFinding(c: CertificateFact): HealthFinding | undefined {
  if (c.state === undefined || c.state === 'ok') return undefined;
  const day = c.notAfter?.slice(0, 10) ?? '?';
  const when = c.state === 'expired' ? `expired on ${day}` : `expires in ${c.daysLeft ?? '?'} day${c.daysLeft === 1 ? '' : 's'} (${day})`;
  const effect =
    c.kind === 'ca'
      ? c.state === 'expired'
        ? 'clients that verify against it refuse every certificate it signed'
        : 'every certificate it signed stops being trusted then'
      : c.state === 'expired'
        ? 'TLS clients refuse to connect'
        : 'TLS clients refuse it from then on';
  const ca = c.kind === 'ca';
  return {
    check: 'certificate-expiry',
    severity: c.state === 'warn' ? 'degraded' : 'critical',
    subject: c.subject,
    what: `${whose(c)} ${when}: ${effect}`,
    action: ca ? NEW_CA : ROTATE,
    run: ca ? NEW_CA_STEP : ROTATE_STEP,
  };
}

/**
 * `check`'s findings about certificates (with `tls` only): expiry (degraded under 30 days,
 * critical under 7 or past), a certificate not signed by the cluster CA or not readable where a
 * TLS port should serve one (trust), and one not naming what it serves (name). A port that does
 * not answer because its node or listener is down is left to node-down and listener.
 */
export function certificateFindings(d: Pick<StatusData, 'certificates' | 'nodes'>): HealthFinding[] {
  const out: HealthFinding[] = [];
  const running = new Set(d.nodes.filter((n) => n.running).map((n) => n.name));
  for (const c of d.certificates ?? []) {
    if (c.error !== undefined) {
      if (c.kind === 'ca') {
        out.push({
          check: 'certificate-trust',
          severity: 'critical',
          subject: c.subject,
          what: `the cluster CA cannot be read (${c.error}): no served certificate can be verified`,
          action: `restore ${c.source}, or issue a new CA and certificates with ${ROTATE}`,
        });
        continue;
      }
      if (c.unreachable && (c.kind === 'load-balancer' || !running.has(c.subject))) continue;
      const what = c.unreachable
        ? `${c.subject} runs but its TLS port ${c.source} does not answer (${c.error}): TLS clients cannot connect to it`
        : `no certificate could be read from ${c.subject} at ${c.source} (${c.error}): TLS clients cannot connect there`;
      out.push({
        check: 'certificate-trust',
        severity: 'critical',
        subject: c.subject,
        what,
        action: `${c.kind === 'node' ? `\`rmq-compose logs ${c.subject}\` says why the TLS listener fails; then ` : ''}${ROTATE}`,
        run: ROTATE_STEP,
      });
      continue;
    }
    const expiry = expiryFinding(c);
    if (expiry) out.push(expiry);
    if (c.trusted === false) {
      out.push({
        check: 'certificate-trust',
        severity: 'critical',
        subject: c.subject,
        what: `${whose(c)} is not signed by the cluster CA: clients that verify against it refuse to connect`,
        action: ROTATE,
        run: ROTATE_STEP,
      });
    }
    if (c.nameMatches === false) {
      const problems = (c.nameProblems ?? []).join('; ');
      out.push({
        check: 'certificate-name',
        severity: 'critical',
        subject: c.subject,
        what: `${whose(c)} does not match ${c.kind === 'node' ? 'the node' : 'the names clients use'}${problems ? `: ${problems}` : ''}`,
        action: ROTATE,
        run: ROTATE_STEP,
      });
    }
  }
  return out;
}
