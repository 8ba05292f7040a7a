import { hostLabel, lastLine } from '../compose/docker-endpoint.js';
import { MachinesFailedError } from '../errors.js';
import type { ClusterServices } from '../ops-tools.js';
import { CommandFailedError } from '../runner/command-failed-error.js';
import type { ActionContext } from '../action.js';
import { step } from './step.js';

/**
 * `compose up -d` on every machine at once, each its own step (`up-<host>`): machines are
 * independent until the nodes cluster, and over ssh one after the other costs the sum of their
 * image pulls and handshakes. Every up runs to its end, so a failure leaves a known state: the
 * error names the machines changed and the ones that failed, each with its reason.
 */
export async function upEveryMachine(ctx: ActionContext, s: ClusterServices): Promise<void> {
  const hosts = ctx.cluster.manifest.hosts;
  const outcomes = await Promise.allSettled(hosts.map((host) => step(ctx, `up-${host.name}`, `compose up -d (${host.name})`, () => s.compose.up(host))));
  const failed = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [{ host: hosts[i]!, error: o.reason as unknown }] : []));
  if (failed.length === 0) return;
  // one machine: its own error says more (the last lines of Compose's output, its exit code)
  if (hosts.length === 1) throw failed[0]!.error;
  const changed = hosts.filter((_, i) => outcomes[i]!.status === 'fulfilled');
  throw new MachinesFailedError(
    [
      `compose up failed on ${failed.length} of ${hosts.length} machines:`,
      ...failed.map((f) => `  ${hostLabel(f.host)}: ${oneLine(f.error)}`),
      changed.length > 0 ? `Changed (compose up succeeded): ${changed.map(hostLabel).join(', ')}.` : 'No machine was changed.',
      'Fix what the lines above say and run deploy again: it is idempotent (running containers are kept, clustered nodes are not reset).',
    ].join('\n'),
    changed.map((h) => h.name),
    failed.map((f) => f.host.name),
  );
}

/** Why one machine's up failed, in one line (secrets were masked by the runner). */
function oneLine(error: unknown): string {
  if (error instanceof CommandFailedError) {
    const r = error.result;
    const said = lastLine(r.stderr || r.stdout);
    const how = r.timedOut ? `timed out after ${Math.round(r.durationMs / 1000)} s` : `exit ${r.exitCode}`;
    return said ? `${how}: ${said.slice(0, 300)}` : how;
  }
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
