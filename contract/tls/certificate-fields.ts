import { randomBytes } from 'node:crypto';

/** Fields every certificate rmq-compose issues gets the same way. */

/** notBefore is set this far before `now`, so a machine whose clock runs a little behind accepts a fresh certificate. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

const DAY_MS = 24 * 60 * 60 * 1000;

export function validityWindow(now: Date, validDays: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now.getTime() - CLOCK_SKEW_MS), notAfter: new Date(now.getTime() + validDays * DAY_MS) };
}

/**
 * A random serial number as hex: 16 bytes (128 bits, of which 126 random), first bit clear so the
 * DER integer is positive and second bit set so it keeps all 16 bytes (RFC 5280: positive, at most 20 octets).
 */
export function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}
