import { describe, expect, test } from '@jest/globals';
import { z } from 'zod';
import { ClusterSpecInput } from '../../../generator/spec/schema.js';
import { closest, isConsequence, knownKeysAt, parseLeniently, shown } from '../../../lib/zod-issues.js';

describe('did you mean', () => {
  test('suggests only a close candidate: two edits, or a third of a long word; case and separators ignored', () => {
    expect(closest('imgae', ['image', 'version'])).toBe('image');
    expect(closest('disk', ['disc', 'ram'])).toBe('disc');
    expect(closest('IdleTimeOut', ['idleTimeout', 'connectTimeout'])).toBe('idleTimeout');
    expect(closest('partition_handlingg', ['partitionHandling'])).toBe('partitionHandling');
    expect(closest('replicas', ['name', 'nodes', 'hosts'])).toBeUndefined();
    // a short word is not "meant" as another short word it shares nothing with
    expect(closest('ab', ['cd'])).toBeUndefined();
    expect(closest('x', ['y'])).toBeUndefined();
    expect(closest('foo', ['disc', 'ram'])).toBeUndefined();
  });

  test('knows the keys of every mapping in the spec, through defaults, lists and unions', () => {
    expect(knownKeysAt(ClusterSpecInput, ['rabbitmq'])).toContain('image');
    expect(knownKeysAt(ClusterSpecInput, ['nodes', 1])).toEqual(['name', 'type', 'ports', 'resources']);
    expect(knownKeysAt(ClusterSpecInput, ['tls', 'certificates'])).toEqual(['ca', 'nodes', 'loadBalancer']);
    expect(knownKeysAt(ClusterSpecInput, ['policies', 0, 'definition'])).toEqual([]);
  });
});

describe('values shown in messages', () => {
  test('quoted, control characters escaped (C1 and line separators too), long ones cut', () => {
    expect(shown('2 min')).toBe('"2 min"');
    expect(shown(90)).toBe('90');
    expect(shown('a\nb\u0085c\u2028')).toBe('"a\\nb\\u0085c\\u2028"');
    expect(shown('x'.repeat(100))).toHaveLength(60);
  });
});

describe('lenient parsing', () => {
  const Schema = z
    .strictObject({
      mode: z.enum(['fast', 'safe']).default('safe'),
      size: z.number().int().min(1).default(3),
      name: z.string(),
      items: z.array(z.string()).default([]),
    })
    .superRefine((v, ctx) => {
      if (v.size > v.items.length) ctx.addIssue({ code: 'custom', path: ['size'], message: `more than the ${v.items.length} items` });
      if (v.items.includes(v.name)) ctx.addIssue({ code: 'custom', path: ['items'], message: 'lists the name' });
    });

  test('a valid input parses as it is', () => {
    expect(parseLeniently(Schema, { name: 'n', items: ['a', 'b', 'c'] })).toEqual({
      findings: [],
      repaired: { mode: 'safe', size: 3, name: 'n', items: ['a', 'b', 'c'] },
      degraded: [],
    });
  });

  test('refused values go (or become what they were close to), and the refinements then run in the same round', () => {
    const result = parseLeniently(Schema, { mode: 'fats', size: 'big', name: 'n', items: ['n'], colour: 1 });
    expect(result.findings).toEqual([
      { path: 'mode', message: '"fats" is not one of fast, safe; did you mean "fast"?' },
      { path: 'size', message: 'must be a number' },
      { path: 'colour', message: 'unknown key; the keys here are mode, size, name, items' },
      // the size refinement is about the stand-in 3: dropped; this one is not
      { path: 'items', message: 'lists the name' },
    ]);
    expect(result.repaired).toBeUndefined();
    expect(result.degraded).toEqual(['mode', 'size', 'colour']);
  });

  test('a required value refused, or a list element, leaves nothing to repair; a stand-in fills a required one', () => {
    expect(parseLeniently(Schema, { name: 5 }).repaired).toBeUndefined();
    expect(parseLeniently(Schema, { name: 'n', items: ['a', 5, 'c'], size: 1 }).repaired).toBeUndefined();
    expect(parseLeniently(Schema, { name: 5, items: ['a'], size: 1 }, { standIns: { name: 'x' } }).repaired).toEqual({
      mode: 'safe',
      size: 1,
      name: 'x',
      items: ['a'],
    });
  });

  test('a consequence: at, inside or above a refused path, or naming one of two steps or more', () => {
    const degraded = ['loadBalancer.idleTimeout', 'nodes[1].type'];
    expect(isConsequence({ path: 'loadBalancer.idleTimeout', message: 'x' }, degraded)).toBe(true);
    expect(isConsequence({ path: 'nodes[1].type.x', message: 'x' }, degraded)).toBe(true);
    expect(isConsequence({ path: 'nodes', message: 'x' }, degraded)).toBe(true);
    expect(isConsequence({ path: 'nodes[1].name', message: 'x' }, degraded)).toBe(false);
    expect(isConsequence({ path: 'nodes[11].type', message: 'x' }, degraded)).toBe(false);
    expect(isConsequence({ path: 'rabbitmq.heartbeat', message: 'must stay below loadBalancer.idleTimeout (120s)' }, degraded)).toBe(true);
    expect(isConsequence({ path: 'rabbitmq.heartbeat', message: 'must stay below loadBalancer.idleTimeouts' }, degraded)).toBe(false);
    // one-step paths are also words
    expect(isConsequence({ path: 'nodes[2].name', message: 'give every node its own name' }, ['name'])).toBe(false);
  });
});
