import type { ClusterHandle } from './cluster-handle.js';
import { readClusterSecrets, type ClusterSecrets } from './cluster-secrets.js';
import { ComposeClient } from './compose/compose-client.js';
import { tcpProbe, type TcpProbe } from './net/tcp-probe.js';
import { httpGetJson, type HttpGetJson } from './net/http-get-json.js';
import { tlsPeerCertificate, type TlsPeerCertificate } from './net/tls-peer.js';
import { ManagementApi } from './rabbit/management-api.js';
import { RabbitCtl } from './rabbit/rabbitmqctl.js';
import { ExecaRunner } from './runner/execa-runner.js';
import type { CommandRunner } from './runner/command.js';
import { realSleep, type Sleep } from './timing.js';
import { systemClock, type Clock } from '../lib/clock.js';

/** Everything an action uses to touch the outside world; one place to swap for fakes. */
export interface OpsTools {
  runner: CommandRunner;
  probe: TcpProbe;
  http: HttpGetJson;
  /** The certificate a TLS port presents (status's certificate facts, with `tls`). */
  tlsPeer: TlsPeerCertificate;
  sleep: Sleep;
  /** The one clock (lib/clock.ts): waits, support windows, certificate expiry, backup names. */
  now: Clock;
  /** Poll interval and deadlines for waits (deploy, join, restart). */
  waits: {
    pollMs: number;
    healthyMs: number;
    clusteredMs: number;
    /** How long `upgrade` lets a node wait for its queues' other replicas before it stops (default 120 s). */
    gateMs?: number;
  };
}

export const DEFAULT_WAITS: OpsTools['waits'] = { pollMs: 3_000, healthyMs: 300_000, clusteredMs: 180_000 };

// The default runner is shared so compose detection happens once per process.
let sharedRunner: CommandRunner | undefined;

export function resolveTools(partial: Partial<OpsTools> = {}): OpsTools {
  return {
    runner: partial.runner ?? (sharedRunner ??= new ExecaRunner()),
    probe: partial.probe ?? tcpProbe,
    http: partial.http ?? httpGetJson,
    tlsPeer: partial.tlsPeer ?? tlsPeerCertificate,
    sleep: partial.sleep ?? realSleep,
    now: partial.now ?? systemClock,
    waits: partial.waits ?? DEFAULT_WAITS,
  };
}

/** The clients an action works with, bound to one cluster. */
export interface ClusterServices {
  cluster: ClusterHandle;
  tools: OpsTools;
  secrets: ClusterSecrets;
  compose: ComposeClient;
  ctl: RabbitCtl;
  api: ManagementApi;
}

export async function clusterServices(cluster: ClusterHandle, partial?: Partial<OpsTools>): Promise<ClusterServices> {
  const tools = resolveTools(partial);
  const secrets = await readClusterSecrets(cluster);
  const compose = new ComposeClient(tools.runner, cluster, secrets.all);
  return { cluster, tools, secrets, compose, ctl: new RabbitCtl(compose), api: new ManagementApi(cluster, secrets, tools.http) };
}
