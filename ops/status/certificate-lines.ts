import type { CertificateFact } from './status-view.js';

/** How long it has left, in words: `41 days left (2027-01-08)`, `EXPIRED on 2026-11-25`. */
export function expiryWords(c: Pick<CertificateFact, 'notAfter' | 'daysLeft' | 'state'>): string {
  const day = c.notAfter?.slice(0, 10) ?? '?';
  if (c.state === 'expired') return `EXPIRED on ${day}`;
  const left = `${c.daysLeft ?? '?'} day${c.daysLeft === 1 ? '' : 's'} left (${day})`;
  return c.state === 'ok' ? left : `${left}, rotate ${c.state === 'critical' ? 'NOW' : 'soon'}`;
}

/**
 * One line per certificate, as status prints it:
 * `rabbit1 certificate: 41 days left (2027-01-08), signed by the cluster CA, names match`.
 */
export function certificateLine(c: CertificateFact): string {
  const who = c.kind === 'ca' ? 'CA certificate' : `${c.subject} certificate`;
  if (c.error !== undefined) return `${who}: not read from ${c.source}: ${c.error}`;
  const parts = [expiryWords(c)];
  if (c.kind !== 'ca') {
    parts.push(
      c.trusted === true ? 'signed by the cluster CA' : c.trusted === false ? 'NOT signed by the cluster CA' : 'not checked (the CA could not be read)',
    );
    parts.push(c.nameMatches ? 'names match' : `NAMES DO NOT MATCH: ${(c.nameProblems ?? []).join('; ')}`);
  }
  return `${who}: ${parts.join(', ')}`;
}
