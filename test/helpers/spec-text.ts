import { stringify } from 'yaml';

/** A small valid spec to start each rule test from; `patch` replaces top-level keys. */
export function specText(patch: Record<string, unknown> = {}): string {
  return stringify({
    name: 'unit',
    rabbitmq: { image: 'rabbitmq:3.13-management' },
    nodes: [{ name: 'rabbit1' }, { name: 'rabbit2' }, { name: 'rabbit3' }],
    ...patch,
  });
}
