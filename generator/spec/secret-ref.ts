/** A value in the spec that is either `${VAR}` (resolved at gen/deploy time) or written inline. */
export type SecretValue = { kind: 'ref'; variable: string } | { kind: 'inline'; variable: string; value: string };

const REF = /^\$\{([A-Z_][A-Z0-9_]*)\}$/;

/**
 * `fallbackVariable` names the .env entry an inline value is moved to, so compose files never
 * carry the secret itself.
 */
export function parseSecretValue(text: string, fallbackVariable: string): SecretValue {
  const match = REF.exec(text);
  return match ? { kind: 'ref', variable: match[1]! } : { kind: 'inline', variable: fallbackVariable, value: text };
}

export function looksLikeReference(text: string): boolean {
  return text.includes('${');
}

export function isReference(text: string): boolean {
  return REF.test(text);
}

/** How a generated secret must look for the program that reads it. */
export interface SecretNeed {
  variable: string;
  /** Where the spec asks for it, for messages (`rabbitmq.defaultPass`). */
  path: string;
  /** Can rmq-compose make one up when nobody provides it? */
  generate?: { length: number; alphabet: string };
  inlineValue?: string;
}
