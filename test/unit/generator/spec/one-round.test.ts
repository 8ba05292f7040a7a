import { describe, expect, test } from '@jest/globals';
import { stringify } from 'yaml';
import { loadSpec } from '../../../../generator/spec/load-spec.js';
import { formatFinding } from '../../../../lib/findings.js';
import { specText } from '../../../helpers/spec-text.js';

/** A fixed day, so that the community-support warnings do not move with the calendar. */
const DAY = { today: '2026-12-07' };
const load = (text: string) => loadSpec(text, DAY);
const errorsOf = (patch: Record<string, unknown>) => load(specText(patch)).errors.map(formatFinding);

const twoMachines = (extra: Record<string, unknown> = {}) => ({
  nodes: ['rabbit1', 'rabbit2', 'rabbit3'],
  hosts: [
    { name: 'mq1', address: '10.0.0.11', nodes: ['rabbit1'] },
    { name: 'mq2', address: '10.0.0.12', nodes: ['rabbit2'] },
    { name: 'mq3', address: '10.0.0.13', nodes: ['rabbit3'] },
    { name: 'lb1', address: '10.0.0.9', loadBalancer: true, ...extra },
  ],
});

describe('every spec error in one round (issue 23)', () => {
  test("the schema's errors and the rules' errors come together", () => {
    const text = `
name: prod
rabbitmq:
  imgae: rabbitmq:4.4-management
nodes:
  - rabbit1
  - { name: rabbit2, type: disk }
  - rabbit1
loadBalancer:
  idleTimeout: 2 min
  keepalived:
    virtualIp: 10.0.0.300/24
    virtualRouterId: 300
`;
    const result = load(text);
    expect(result.errors.map(formatFinding)).toEqual([
      'rabbitmq.imgae: unknown key; did you mean "image"?',
      'nodes[1].type: "disk" is not one of disc, ram; did you mean "disc"?',
      'loadBalancer.idleTimeout: "2 min" is not a duration; write a number with a unit: 90s, 5m, 1h (or 500ms)',
      'nodes[2].name: "rabbit1" is already used by nodes[0]; give every node its own name',
      'loadBalancer.keepalived.virtualIp: "10.0.0.300/24" is not an IPv4 address with a prefix length (300 is above 255); write it like 192.168.1.100/24',
      'loadBalancer.keepalived.virtualRouterId: 300 is outside 1–255 (VRRP carries it in one byte); pick a number unique on this LAN, e.g. 51',
    ]);
    expect(result.model).toBeUndefined();
  });

  test('a rule says nothing at a path the schema refused: the value it would judge is a stand-in', () => {
    // idleTimeout falls back to its default, 120s, which the heartbeat rule would judge at the same path
    expect(
      errorsOf({ rabbitmq: { image: 'rabbitmq:4.4', heartbeat: 600 }, loadBalancer: { idleTimeout: 'soon' }, nodes: ['rabbit1', 'rabbit1', 'rabbit3'] }),
    ).toEqual([
      'loadBalancer.idleTimeout: "soon" is not a duration; write a number with a unit: 90s, 5m, 1h (or 500ms)',
      'nodes[1].name: "rabbit1" is already used by nodes[0]; give every node its own name',
    ]);
    // …nor above it: no host would run the load balancer once "yes" (not a boolean) is taken out
    expect(errorsOf(twoMachines({ loadBalancer: 'yes', docker: '-H=tcp://x' }))).toEqual([
      'hosts[3].loadBalancer: must be true or false',
      'hosts[3].docker: "-H=tcp://x" is not a way to reach a Docker engine; write ssh://user@host[:port] (e.g. ssh://deploy@192.168.1.17), tcp://host:port, unix:///path, or a docker context name',
    ]);
  });

  test('the rules read what a close typo meant, not the default it would otherwise get', () => {
    // 3.13 written under a typo: no "mirroring was removed in 4.0" from the default 4.4 image
    const policies = [{ name: 'ha', pattern: '.*', definition: { 'ha-mode': 'all' } }];
    expect(errorsOf({ rabbitmq: { imgae: 'rabbitmq:3.13-management' }, policies })).toEqual(['rabbitmq.imgae: unknown key; did you mean "image"?']);
    // …and 4.1 written so is judged as 4.1: the policy's own error comes in the same round
    expect(errorsOf({ rabbitmq: { imgae: 'rabbitmq:4.1-management' }, policies })).toEqual([
      'rabbitmq.imgae: unknown key; did you mean "image"?',
      expect.stringMatching(/^policies\[0\]\.definition: ha-mode: classic queue mirroring was removed in RabbitMQ 4\.0/),
    ]);
    // a ram node meant as "rma" is a RAM node for the rules (4.3 has none), reported only at the typo
    expect(errorsOf({ rabbitmq: { image: 'rabbitmq:4.3' }, nodes: ['rabbit1', { name: 'rabbit2', type: 'rma' }, 'rabbit1'] })).toEqual([
      'nodes[1].type: "rma" is not one of disc, ram; did you mean "ram"?',
      'nodes[2].name: "rabbit1" is already used by nodes[0]; give every node its own name',
    ]);
    // a required key with a typo is one problem, not also "is required"
    expect(load(stringify({ name: 'unit', ndoes: 3 })).errors.map(formatFinding)).toEqual(['ndoes: unknown key; did you mean "nodes"?']);
  });

  test('a required value that is refused gets a stand-in where the rules can do without it', () => {
    expect(errorsOf({ name: 'Prod MQ', nodes: ['rabbit1', 'rabbit1', 'rabbit3'] })).toEqual([
      'name: must be lowercase letters, digits and "-" (at most 31), e.g. prod-mq',
      'nodes[1].name: "rabbit1" is already used by nodes[0]; give every node its own name',
    ]);
    expect(errorsOf({ loadBalancer: { keepalived: { virtualIp: '10.1.1.1/24', virtualRouterId: '51' } }, network: { subnet: '172.28.5.0/24' } })).toEqual([
      'loadBalancer.keepalived.virtualRouterId: must be a whole number between 1 and 255 (VRRP carries it in one byte), e.g. 51',
      expect.stringMatching(/^loadBalancer\.keepalived\.virtualIp: 10\.1\.1\.1\/24 is outside the cluster network 172\.28\.5\.0\/24/),
    ]);
  });

  test('where taking a value out is not enough, the rules wait rather than guess', () => {
    // a list element cannot go without renumbering the others, whose paths the rules report
    expect(errorsOf({ nodes: ['rabbit1', 7, 'rabbit1'] })).toEqual(['nodes[1]: has the wrong type; rmq-compose schema prints what is allowed here']);
    expect(load('name: unit\n').errors.map(formatFinding)).toEqual(['nodes: is required; see `rmq-compose init` for a starter spec']);
  });

  test('control characters and the rules in one round; the rules never see the refused string', () => {
    const errors = errorsOf({ loadBalancer: { image: 'nginx:1.27\nload_module x.so;' }, nodes: ['rabbit1', 'rabbit1', 'rabbit3'] });
    expect(errors).toEqual([
      'loadBalancer.image: must not contain control characters (a newline?)',
      'nodes[1].name: "rabbit1" is already used by nodes[0]; give every node its own name',
    ]);
    // one finding per path: the control character, not also the enum it fails
    expect(errorsOf({ nodes: ['rabbit1', { name: 'rabbit2', type: 'ram\u001b[31m' }, 'rabbit3'] })).toEqual([
      'nodes[1].type: must not contain control characters (a newline?)',
    ]);
    // …and for a key: the unknown key is that same finding, its path quoted, never printed raw
    const key = errorsOf({ rabbitmq: { image: 'rabbitmq:4.4', 'imag\ne': 'x' } });
    expect(key).toEqual(['rabbitmq."imag\\ne": a key must not contain control characters (a newline?)']);
  });

  test('warnings come in the same round too, except at refused paths', () => {
    const result = load(specText({ rabbitmq: { image: 'rabbitmq:4.2.10-management' }, loadBalancer: { idleTimeout: 90 }, nodes: 4 }));
    expect(result.errors.map(formatFinding)).toEqual(['loadBalancer.idleTimeout: 90 is not a duration; write a number with a unit: 90s, 5m, 1h (or 500ms)']);
    expect(result.warnings.map(formatFinding)).toEqual([
      expect.stringMatching(/^nodes: 4 nodes: an even count/),
      expect.stringMatching(/^rabbitmq\.image: RabbitMQ 4\.2 is past community support/),
    ]);
  });

  test('a valid spec still gives its model', () => {
    const result = load(specText({ rabbitmq: { image: 'rabbitmq:4.4-management' } }));
    expect(result.errors).toEqual([]);
    expect(result.model?.nodes.map((n) => n.name)).toEqual(['rabbit1', 'rabbit2', 'rabbit3']);
  });
});
