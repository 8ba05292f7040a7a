import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseEnvFile } from '../../../../contract/env-file.js';
import { generateCluster } from '../../../../generator/generate.js';
import type { ClusterModel } from '../../../../generator/spec/model.js';
import type { ActionResult, ProgressStep } from '../../../../ops/action.js';
import type { OpsTools } from '../../../../ops/ops-tools.js';
import { runAction } from '../../../../ops/run-action.js';
import type { CommandResult } from '../../../../ops/runner/command.js';
import { CLI } from '../../../helpers/cli.js';
import { amqpRoundTrip } from '../../clients/amqp-load.js';
import { mqttRoundTrip } from '../../clients/mqtt-round-trip.js';
import type { E2eHarness } from '../e2e-env.js';
import { removeLeftoverDirs } from '../generated-cluster.js';
import type { Machine } from './machine.js';
import type { MachineSet } from './machine-set.js';

export interface MultiHostOptions {
  name: string;
  image: string;
  version: string;
  formation: 'auto' | 'manual';
  /** Node name → machine name, in the seed's order (the first is the disc node the others join). */
  nodes: Array<{ name: string; type: 'disc' | 'ram'; machine: string }>;
  loadBalancers: string[];
  /** Machine name → docker context name (the others are reached as ssh://root@<address>). */
  contexts?: Record<string, string>;
  /**
   * VRRP's router id for the VIP; default: the LAN's own third octet, unique among the LANs of
   * runs alive on this box (lan.ts moves on while a subnet is taken), so no test picks one by hand.
   */
  virtualRouterId?: number;
  policies?: object[];
  partitionHandling?: 'pause_minority' | 'autoheal' | 'ignore';
}

/** Three disc nodes, one per broker machine of THREE_BROKERS_TWO_LBS. */
export const ONE_DISC_NODE_PER_BROKER: MultiHostOptions['nodes'] = [
  { name: 'rabbit1', type: 'disc', machine: 'mq1' },
  { name: 'rabbit2', type: 'disc', machine: 'mq2' },
  { name: 'rabbit3', type: 'disc', machine: 'mq3' },
];

/** The spec a user would write for these machines: one broker per machine, two LB machines, a VIP on the LAN. */
export function multiHostSpec(o: MultiHostOptions, set: MachineSet): Record<string, unknown> {
  const dockerOf = (m: Machine) => o.contexts?.[m.name] ?? m.sshUrl;
  const brokerMachines = [...new Set(o.nodes.map((n) => n.machine))];
  return {
    name: o.name,
    rabbitmq: {
      image: o.image,
      version: o.version,
      plugins: ['rabbitmq_management', 'rabbitmq_mqtt'],
      formation: o.formation,
      ...(o.partitionHandling ? { partitionHandling: o.partitionHandling } : {}),
    },
    nodes: o.nodes.map((n) => ({ name: n.name, type: n.type })),
    hosts: [
      ...brokerMachines.map((name) => {
        const m = set.get(name);
        return { name, address: m.address, nodes: o.nodes.filter((n) => n.machine === name).map((n) => n.name), docker: dockerOf(m) };
      }),
      ...o.loadBalancers.map((name) => {
        const m = set.get(name);
        return { name, address: m.address, loadBalancer: true, docker: dockerOf(m) };
      }),
    ],
    loadBalancer: {
      image: o.image,
      listeners: [
        { protocol: 'amqp', port: 5672 },
        { protocol: 'mqtt', port: 1883 },
      ],
      // a dead machine's address answers nothing: nginx tries the next node after 3 s
      connectTimeout: '3s',
      keepalived: {
        virtualIp: `${set.lan.address(100)}/24`,
        interface: 'eth0',
        virtualRouterId: o.virtualRouterId ?? Number(set.lan.prefix.split('.')[2]),
        image: o.image,
      },
    },
    policies: o.policies ?? [],
    // the machines' dockerd run with this box's limits
    limits: { nofile: 0 },
  };
}

export interface MultiHostCluster {
  dir: string;
  model: ClusterModel;
  project: string;
  admin: { user: string; pass: string };
  vip: string;
  amqpUrl(host?: string): string;
  /** `rmq-compose <args>` as the operator runs it: a child process with the laptop's ssh and docker config. */
  cli(args: string[], timeoutMs?: number): Promise<{ exitCode: number; stdout: string; stderr: string; ms: number }>;
  /** An ops action in this process (its runner inherits process.env, patched while the cluster is open). */
  run(name: string, argv?: string[], tools?: Partial<OpsTools>): Promise<ActionResult & { steps: ProgressStep[] }>;
  /** A program in a node's or LB service's container, through the machine's own socket (harness probe). */
  exec(machine: string, service: string, argv: string[], timeoutMs?: number): Promise<CommandResult>;
  close(): Promise<void>;
}

export const MULTI_HOST_WAITS: OpsTools['waits'] = { pollMs: 1_000, healthyMs: 300_000, clusteredMs: 240_000 };

export async function openMultiHostCluster(h: E2eHarness, set: MachineSet, spec: Record<string, unknown>): Promise<MultiHostCluster> {
  // named like the single-host clusters' folders (label, pid, random), so the next run removes
  // this one when its run is killed before close()
  removeLeftoverDirs();
  const root = mkdtempSync(join(tmpdir(), `rmqt-multihost-${process.pid}-${randomBytes(3).toString('hex')}-`));
  const saved = { PATH: process.env.PATH, DOCKER_CONFIG: process.env.DOCKER_CONFIG, DOCKER_HOST: process.env.DOCKER_HOST };
  try {
    const label = String(spec.name);
    // as `gen -f` does it: certificates (tls:) issued and kept in the folder like .env's secrets,
    // and the spec file recorded, for the actions that generate again (upgrade, rotate-certs)
    const specText = stringify(spec);
    await writeFile(join(root, `${label}.yaml`), specText);
    const { plan, result } = await generateCluster(
      { text: specText, name: `${label}.yaml`, dir: root },
      { outDir: root, env: {}, specFileFrom: () => `../${label}.yaml` },
    );
    const dir = result.clusterDir;
    const manifest = JSON.parse(await readFile(join(dir, 'rmq-compose.json'), 'utf8')) as { project: string };
    const secrets = Object.fromEntries(parseEnvFile(await readFile(join(dir, '.env'), 'utf8')));
    const model = plan.model;
    const user = model.rabbitmq.defaultUser.kind === 'plain' ? model.rabbitmq.defaultUser.value : secrets[model.rabbitmq.defaultUser.variable]!;
    const pass = secrets[model.rabbitmq.defaultPass.variable]!;
    const vip = set.lan.address(100);
    Object.assign(process.env, set.productEnv);
    delete process.env.DOCKER_HOST;
    const url = (host: string) => `amqp://${encodeURIComponent(user)}:${encodeURIComponent(pass)}@${host}:5672`;
    return {
      dir,
      model,
      project: manifest.project,
      admin: { user, pass },
      vip,
      amqpUrl: (host = vip) => url(host),
      async cli(args, timeoutMs = 600_000) {
        const started = Date.now();
        const r = await execa('node', [CLI, ...args], {
          env: { ...set.productEnv, HOME: process.env.HOME ?? '/root' },
          extendEnv: false,
          reject: false,
          timeout: timeoutMs,
          stdin: 'ignore',
        });
        return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr), ms: Date.now() - started };
      },
      async run(name, argv = [], tools = {}) {
        const steps: ProgressStep[] = [];
        const result = await runAction(name, argv, {
          dir,
          actor: { via: 'cli', id: 'e2e' },
          progress: (s) => steps.push(s),
          tools: { waits: MULTI_HOST_WAITS, ...tools },
        });
        return { ...result, steps };
      },
      exec(machine, service, argv, timeoutMs = 60_000) {
        return h.runner.run({
          file: 'docker',
          args: ['exec', `${manifest.project}-${service}-1`, ...argv],
          env: set.get(machine).localDockerEnv,
          timeoutMs,
          secrets: Object.values(secrets),
        });
      },
      async close() {
        for (const [k, v] of Object.entries(saved))
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

/** Messages that made it through the VIP and back: 20 over AMQP, 10 over MQTT (QoS 1). */
export async function roundTripsThroughVip(cluster: MultiHostCluster, label: string): Promise<{ amqp: number; mqtt: number }> {
  const { user, pass } = cluster.admin;
  return {
    amqp: await amqpRoundTrip(cluster.amqpUrl(), `${label}-amqp`, 20),
    mqtt: await mqttRoundTrip(`mqtt://${cluster.vip}:1883`, { username: user, password: pass }, `${label}/mqtt`, 10),
  };
}
