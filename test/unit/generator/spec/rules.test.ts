import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { DEFAULT_IMAGE, newestSupportedLine, TABLE_CHECKED } from '../../../../contract/rabbitmq-versions.js';
import { loadSpec } from '../../../../generator/spec/load-spec.js';
import { packageRoot } from '../../../../lib/package-root.js';
import { formatFinding } from '../../../../lib/findings.js';
import { specText } from '../../../helpers/spec-text.js';

/**
 * Checked on a day when the base spec's 3.13 was still in community support, so that each test
 * hears only the rule it is about; the community-support test picks its own days.
 */
const BASE_DAY = { today: '2024-06-01' };
const errorsOf = (patch: Record<string, unknown>) => loadSpec(specText(patch), BASE_DAY).errors.map(formatFinding);
const warningsOf = (patch: Record<string, unknown>, context = BASE_DAY) => loadSpec(specText(patch), context).warnings.map(formatFinding);

describe('spec rules: errors name the path, say what is wrong and how to fix it', () => {
  test('the base spec is valid', () => {
    expect(errorsOf({})).toEqual([]);
  });

  test('duplicate node names', () => {
    expect(errorsOf({ nodes: ['rabbit1', 'rabbit2', 'rabbit1'] })).toEqual([
      'nodes[2].name: "rabbit1" is already used by nodes[0]; give every node its own name',
    ]);
  });

  test('node name that is not a hostname', () => {
    const errors = errorsOf({ nodes: ['rabbit1', 'rabbit_host2', 'rabbit3'] });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^nodes\[1\]\.name: "rabbit_host2" is not a valid hostname .*e\.g\. "rabbit-host2"$/);
  });

  test('no disc node', () => {
    expect(
      errorsOf({
        nodes: [
          { name: 'a', type: 'ram' },
          { name: 'b', type: 'ram' },
          { name: 'c', type: 'ram' },
        ],
      }),
    ).toContain('nodes: no disc node: a cluster needs at least one disc node to keep its metadata; set type: disc on one node (the seed uses rabbit1)');
  });

  test('port outside 1-65535', () => {
    expect(errorsOf({ nodes: ['rabbit1', { name: 'rabbit2', ports: { amqp: 70000 } }, 'rabbit3'] })).toEqual([
      'nodes[1].ports.amqp: must be between 1 and 65535',
    ]);
    expect(errorsOf({ loadBalancer: { listeners: [{ protocol: 'amqp', port: 0 }] } })).toEqual(['loadBalancer.listeners[0].port: must be between 1 and 65535']);
  });

  test('duplicate host ports on one host, between nodes and with the load balancer', () => {
    const errors = errorsOf({
      nodes: [{ name: 'rabbit1', ports: { amqp: 5673 } }, { name: 'rabbit2', ports: { amqp: 5673 } }, 'rabbit3'],
    });
    expect(errors[0]).toBe(
      'nodes[1].ports.amqp: port 5673 (rabbit2 amqp on 127.0.0.1) is also nodes[0].ports.amqp (rabbit1 amqp on 127.0.0.1) on this machine; pick another port for one of them',
    );
    const withLb = errorsOf({ nodes: [{ name: 'rabbit1', ports: { amqp: 5672 } }, 'rabbit2', 'rabbit3'] });
    expect(withLb).toEqual([
      "nodes[0].ports.amqp: port 5672 (rabbit1 amqp on 127.0.0.1) is also loadBalancer.listeners (the load balancer's default amqp listener on every interface) on this machine; pick another port for one of them",
    ]);
  });

  test('open-files limit too low to run RabbitMQ', () => {
    expect(errorsOf({ limits: { nofile: 100 } })).toEqual(["limits.nofile: must be 0 (keep Docker's default) or between 1024 and 1048576"]);
    expect(errorsOf({ limits: { nofile: 0 } })).toEqual([]);
  });

  test('virtual IP that is not a CIDR address', () => {
    // the message says what is wrong with it, and the format
    for (const [virtualIp, why] of [
      ['192.168.1.100', 'the /prefix length is missing'],
      ['192.168.1.300/24', '300 is above 255'],
      ['vip/24', 'an IPv4 address is four numbers separated by dots, not 1'],
      ['192.168.1.100/33', 'the prefix length 33 is not between 1 and 32'],
      ['192.168.01.100/24', '"01" is not a number from 0 to 255 (without leading zeros)'],
    ]) {
      expect(errorsOf({ loadBalancer: { keepalived: { virtualIp, virtualRouterId: 51 } } })).toContain(
        `loadBalancer.keepalived.virtualIp: "${virtualIp}" is not an IPv4 address with a prefix length (${why}); write it like 192.168.1.100/24`,
      );
    }
    expect(errorsOf({ network: { subnet: '172.28.5.0' } })).toEqual([
      'network.subnet: "172.28.5.0" is not a subnet (the /prefix length is missing); write it like 172.28.5.0/24',
    ]);
  });

  test('virtualRouterId outside 1-255', () => {
    for (const id of [0, 256]) {
      expect(errorsOf({ loadBalancer: { keepalived: { virtualIp: '172.28.5.100/24', virtualRouterId: id } } })).toEqual([
        `loadBalancer.keepalived.virtualRouterId: ${id} is outside 1–255 (VRRP carries it in one byte); pick a number unique on this LAN, e.g. 51`,
      ]);
    }
  });

  test('mirroring policy on RabbitMQ >= 4.0 says what to use instead', () => {
    const errors = errorsOf({
      rabbitmq: { image: 'rabbitmq:4.1-management' },
      policies: [{ name: 'ha-all', pattern: '^', definition: { 'ha-mode': 'all' } }],
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^policies\[0\]\.definition: ha-mode: classic queue mirroring was removed in RabbitMQ 4\.0 .*quorum queues \(argument x-queue-type: quorum/,
    );
    expect(errorsOf({ policies: [{ name: 'ha-all', pattern: '^', definition: { 'ha-mode': 'all' } }] })).toEqual([]);
  });

  test('a policy pattern or vhost that rabbitmqctl would read as an option is refused where the spec says it (issue 19)', () => {
    const errors = errorsOf({
      policies: [
        { name: 'evil', pattern: '--vhost=other', definition: { 'max-length': 10 } },
        { name: 'evil2', pattern: '^', vhost: '--priority=5', definition: { 'max-length': 10 } },
      ],
    });
    expect(errors).toEqual([
      'policies[0].pattern: "--vhost=other" starts with "-", which rabbitmqctl would read as an option; write the first character as a class, "[-]-vhost=other", which matches the same queues',
      'policies[1].vhost: "--priority=5" starts with "-", which rabbitmqctl would read as an option; use a vhost whose name does not start with "-" (e.g. "/" or "orders")',
    ]);
    // a "-" further in is an ordinary character
    expect(errorsOf({ policies: [{ name: 'dlq', pattern: '^orders-dlq$', vhost: 'shop-eu', definition: { 'max-length': 10 } }] })).toEqual([]);
  });

  test('unknown keys (typos) are errors with their path, and the key meant when one is close', () => {
    expect(errorsOf({ rabbitmq: { image: 'rabbitmq:3.13', formaton: 'auto' } })).toEqual(['rabbitmq.formaton: unknown key; did you mean "formation"?']);
    expect(errorsOf({ nodes: [{ name: 'rabbit1', tpye: 'disc' }] })).toEqual(['nodes[0].tpye: unknown key; did you mean "type"?']);
    // case and separators count as one edit or none
    expect(errorsOf({ loadBalancer: { idle_timeout: '90s' } })).toEqual(['loadBalancer.idle_timeout: unknown key; did you mean "idleTimeout"?']);
    expect(errorsOf({ tls: { certificates: { ca: 'ca.pem', nodes: {}, lodBalancer: {} } } })[0]).toBe(
      'tls.certificates.lodBalancer: unknown key; did you mean "loadBalancer"?',
    );
    // nothing close: the keys allowed there, or where to read them when they are many
    expect(errorsOf({ nodes: [{ name: 'rabbit1', weight: 2 }] })).toEqual(['nodes[0].weight: unknown key; the keys here are name, type, ports, resources']);
    expect(errorsOf({ replicas: 3 })).toEqual(['replicas: unknown key; rmq-compose schema lists the allowed keys']);
    expect(errorsOf({ loadBalancer: { keepalived: { virtualIp: '172.28.5.100/24', virtualRouterId: 51, weight: 1 } } })).toEqual([
      'loadBalancer.keepalived.weight: unknown key; the keys here are virtualIp, interface, virtualRouterId, instances, authPass, image',
    ]);
    // a key already written is not what a typo meant
    expect(errorsOf({ rabbitmq: { image: 'rabbitmq:3.13', imgae: 'rabbitmq:3.12' } })).toEqual([
      'rabbitmq.imgae: unknown key; rmq-compose schema lists the allowed keys',
    ]);
  });

  test('a value that is not one of the allowed ones names them, and the one meant when one is close', () => {
    expect(errorsOf({ nodes: ['rabbit1', { name: 'rabbit2', type: 'disk' }, 'rabbit3'] })).toEqual([
      'nodes[1].type: "disk" is not one of disc, ram; did you mean "disc"?',
    ]);
    expect(errorsOf({ rabbitmq: { image: 'rabbitmq:3.13', partitionHandling: 'pause-minority' } })).toEqual([
      'rabbitmq.partitionHandling: "pause-minority" is not one of pause_minority, autoheal, ignore; did you mean "pause_minority"?',
    ]);
    expect(errorsOf({ nodes: ['rabbit1', { name: 'rabbit2', type: 'fast' }, 'rabbit3'] })).toEqual(['nodes[1].type: "fast" is not one of disc, ram']);
    expect(errorsOf({ tls: { certificates: 'generated' } })).toEqual(['tls.certificates: "generated" is not one of generate; did you mean "generate"?']);
  });

  test('durations, ports and router ids say the format they need', () => {
    expect(errorsOf({ loadBalancer: { idleTimeout: '2 min' } })).toEqual([
      'loadBalancer.idleTimeout: "2 min" is not a duration; write a number with a unit: 90s, 5m, 1h (or 500ms)',
    ]);
    expect(errorsOf({ loadBalancer: { connectTimeout: 30 } })).toEqual([
      'loadBalancer.connectTimeout: 30 is not a duration; write a number with a unit: 90s, 5m, 1h (or 500ms)',
    ]);
    expect(errorsOf({ nodes: ['rabbit1', { name: 'rabbit2', ports: { amqp: 'x' } }, 'rabbit3'] })).toEqual([
      'nodes[1].ports.amqp: must be a port number between 1 and 65535',
    ]);
    expect(errorsOf({ nodes: ['rabbit1', { name: 'rabbit2', ports: { amqp: 5672.5 } }, 'rabbit3'] })).toEqual([
      'nodes[1].ports.amqp: must be a whole number between 1 and 65535',
    ]);
    expect(errorsOf({ loadBalancer: { keepalived: { virtualIp: '172.28.5.100/24', virtualRouterId: 'fifty' } } })).toEqual([
      'loadBalancer.keepalived.virtualRouterId: must be a whole number between 1 and 255 (VRRP carries it in one byte), e.g. 51',
    ]);
  });

  test('a reference that is not the whole value', () => {
    expect(errorsOf({ rabbitmq: { image: 'rabbitmq:3.13', defaultPass: 'pre-${PASS}' } })[0]).toMatch(
      /^rabbitmq\.defaultPass: "\$\{…\}" must be the whole value/,
    );
  });

  test('RAM nodes are an error where Mnesia is gone (4.3)', () => {
    expect(errorsOf({ rabbitmq: { image: 'rabbitmq:4.3' }, nodes: ['rabbit1', { name: 'rabbit2', type: 'ram' }, 'rabbit3'] })).toEqual([
      'nodes[1].type: RAM nodes do not exist in RabbitMQ 4.3 (4.3 removed Mnesia); use type: disc',
    ]);
  });

  test('multi-host: nodes placed on unknown or several hosts, bad addresses, two nodes on a machine', () => {
    const errors = errorsOf({
      nodes: ['rabbit1', 'rabbit2', 'rabbit3'],
      hosts: [
        { name: 'mq1', address: '10.0.0.1', nodes: ['rabbit1', 'rabbit2'] },
        { name: 'mq2', address: '10.0.0.300', nodes: ['rabbit2', 'rabbit9'] },
        { name: 'lb1', address: '10.0.0.9', loadBalancer: true },
      ],
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        'hosts[1].nodes[0]: node "rabbit2" is already placed on host "mq1"; a node runs on exactly one host',
        'hosts[1].nodes[1]: "rabbit9" is not a node of this cluster; list it under nodes: or remove it here (nodes: rabbit1, rabbit2, rabbit3)',
        'nodes[2]: node "rabbit3" runs on no host; add it to the nodes: list of one entry under hosts:',
        'hosts[1].address: "10.0.0.300" is not an IPv4 address (300 is above 255); write the address other machines reach this host at, e.g. 192.168.1.17',
      ]),
    );
    expect(errors.join('\n')).toMatch(/hosts\[0\]\.nodes: 2 nodes on "mq1"/);
  });

  test("multi-host: how to reach each machine's engine is an ssh/tcp/unix URL or a context name, never an option", () => {
    const hosts = (docker: string) => ({
      nodes: ['rabbit1'],
      hosts: [
        { name: 'mq1', address: '10.0.0.1', nodes: ['rabbit1'], docker },
        { name: 'lb1', address: '10.0.0.9', loadBalancer: true },
      ],
    });
    expect(errorsOf(hosts('-H=tcp://10.9.9.9:2375'))).toEqual([
      'hosts[0].docker: "-H=tcp://10.9.9.9:2375" is not a way to reach a Docker engine; write ssh://user@host[:port] (e.g. ssh://deploy@192.168.1.17), tcp://host:port, unix:///path, or a docker context name',
    ]);
    expect(errorsOf(hosts('ssh://root@mq1;id'))).toHaveLength(1);
    expect(errorsOf(hosts('ssh://deploy@10.0.0.1:2222'))).toEqual([]);
    expect(errorsOf(hosts('mq1-context'))).toEqual([]);
  });

  test('single host: the VIP must be inside the cluster subnet and free', () => {
    expect(errorsOf({ network: { subnet: '172.28.5.0/24' }, loadBalancer: { keepalived: { virtualIp: '10.1.1.1/24', virtualRouterId: 51 } } })[0]).toMatch(
      /^loadBalancer\.keepalived\.virtualIp: 10\.1\.1\.1\/24 is outside the cluster network 172\.28\.5\.0\/24/,
    );
    expect(errorsOf({ loadBalancer: { keepalived: { virtualIp: '172.28.5.10/24', virtualRouterId: 51 } } })[0]).toMatch(/is the fixed address of rabbit1/);
  });

  test('idle timeout must stay above the AMQP heartbeat', () => {
    expect(errorsOf({ rabbitmq: { image: 'rabbitmq:3.13', heartbeat: 60 }, loadBalancer: { idleTimeout: '60s' } })[0]).toMatch(
      /^loadBalancer\.idleTimeout: 60s is not above the AMQP heartbeat \(60s\)/,
    );
  });

  test('YAML syntax errors and non-mapping documents', () => {
    expect(loadSpec('name: [').errors[0]!.message).toMatch(/^YAML: /);
    expect(loadSpec('- a\n- b\n').errors[0]!.message).toMatch(/must be a YAML mapping/);
    expect(loadSpec('name: x\n').errors.map(formatFinding)).toEqual(['nodes: is required; see `rmq-compose init` for a starter spec']);
  });
});

describe('spec rules: warnings', () => {
  test('an even number of nodes', () => {
    expect(warningsOf({ nodes: 4 })).toContain(
      'nodes: 4 nodes: an even count tolerates no more failures than one node fewer and can split evenly; prefer 5 or 3',
    );
  });

  test('RAM nodes', () => {
    expect(warningsOf({ nodes: ['rabbit1', { name: 'rabbit2', type: 'ram' }, 'rabbit3'] }).join('\n')).toMatch(
      /nodes\[1\]\.type: "rabbit2" is a RAM node: a legacy feature/,
    );
  });

  test('formation: manual on 4.x', () => {
    expect(warningsOf({ rabbitmq: { image: 'rabbitmq:4.1-management', formation: 'manual' } })[0]).toMatch(
      /^rabbitmq\.formation: manual formation on RabbitMQ 4\.1/,
    );
  });

  test('secrets written inline', () => {
    expect(warningsOf({ rabbitmq: { image: 'rabbitmq:3.13', defaultPass: 'hunter2hunter2' } })).toEqual([
      'rabbitmq.defaultPass: a secret written inline in the spec; it is moved to .env (not into generated files), but the spec file now holds it: use ${RABBITMQ_DEFAULT_PASS} instead',
    ]);
  });

  test('keepalived authPass from a VRRPv2 spec: ignored, said so, and kept out of .env', () => {
    const patch = { loadBalancer: { keepalived: { virtualIp: '172.28.5.100/24', virtualRouterId: 51, authPass: 'secret12' } } };
    expect(warningsOf(patch).join('\n')).toMatch(/loadBalancer\.keepalived\.authPass: is ignored and can be removed: keepalived now speaks VRRPv3/);
    expect(loadSpec(specText(patch), BASE_DAY).model?.secrets.map((s) => s.variable)).not.toContain('KEEPALIVED_AUTH_PASS');
  });

  test('an image tag that does not tell the version', () => {
    expect(warningsOf({ rabbitmq: { image: 'rabbitmq:management' } })[0]).toMatch(/^rabbitmq\.image: cannot tell the RabbitMQ version/);
  });

  test('a RabbitMQ line past community support', () => {
    const today = { today: '2026-12-07' };
    expect(warningsOf({ rabbitmq: { image: 'rabbitmq:4.2.10-management' } }, today)).toEqual([
      'rabbitmq.image: RabbitMQ 4.2 is past community support (ended 2026-07-31, rabbitmq.com/release-information): no more public patches; the newest line in community support is 4.4 (rabbitmq:4.4-management)',
    ]);
    expect(warningsOf({ rabbitmq: { image: 'rabbitmq:4.4-management' } }, today)).toEqual([]);
    expect(warningsOf({ rabbitmq: { image: 'rabbitmq:3.7' } }, today)[0]).toMatch(
      /RabbitMQ 3\.7 is past community support \(older than every line rmq-compose knows/,
    );
  });

  test('4.3 the day before its end date, on it, and a table that knows no supported line', () => {
    expect(warningsOf({ rabbitmq: { image: 'rabbitmq:4.3' } }, { today: '2026-11-29' })).toEqual([]);
    expect(warningsOf({ rabbitmq: { image: 'rabbitmq:4.3' } }, { today: '2026-11-30' })).toEqual([
      'rabbitmq.image: RabbitMQ 4.3 is past community support (ended 2026-11-30, rabbitmq.com/release-information): no more public patches; the newest line in community support is 4.4 (rabbitmq:4.4-management)',
    ]);
    // the table ran out: one warning about rmq-compose, also for the newest line itself
    const outdated = `rmq-compose's version table ends at 4.4 (checked ${TABLE_CHECKED}) and knows no RabbitMQ line in community support on 2029-12-31; update rmq-compose`;
    expect(warningsOf({ rabbitmq: { image: 'rabbitmq:4.4' } }, { today: '2029-12-31' })).toEqual([`rabbitmq.image: ${outdated}`]);
    expect(warningsOf({ rabbitmq: { image: 'rabbitmq:4.3' } }, { today: '2029-12-31' })).toEqual([
      `rabbitmq.image: RabbitMQ 4.3 is past community support (ended 2026-11-30, rabbitmq.com/release-information): no more public patches; ${outdated}`,
    ]);
  });
});

describe('the default image', () => {
  test('the schema default and the init template use the newest line in community support', () => {
    const template = readFileSync(join(packageRoot(), 'templates', 'rmq-cluster.init.yaml'), 'utf8');
    expect(template).toContain(`  image: ${DEFAULT_IMAGE} `);
    const { rabbitmq: _rabbitmq, ...noRabbitmq } = parse(specText()) as Record<string, unknown>;
    expect(loadSpec(stringify(noRabbitmq)).model?.rabbitmq.image).toBe(DEFAULT_IMAGE);
    expect(DEFAULT_IMAGE).toBe(`rabbitmq:${newestSupportedLine(TABLE_CHECKED)!.line}-management`);
  });
});
