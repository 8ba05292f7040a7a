import { newestSupportedLine, outdatedTableNote, supportOn, todayUtc } from '../../contract/rabbitmq-versions.js';
import type { ActionContext } from '../action.js';
import type { ClusterServices } from '../ops-tools.js';
import { quorumGate } from '../rabbit/quorum-gate.js';
import { deprecatedFeaturesUsed } from '../rabbit/upgrade-readiness.js';
import { gatherStatus } from '../status/gather-status.js';
import type { StatusData } from '../status/status-view.js';
import { step } from '../steps/step.js';
import { judgeStatus, verdictOf, type ExtraFacts, type HealthFinding, type Verdict } from './findings.js';

export interface CheckData {
  cluster: string;
  verdict: Verdict;
  findings: HealthFinding[];
  /**
   * Information that is no finding and changes no verdict: today only that rmq-compose's version
   * table knows no supported line on this date (the tool's knowledge ran out, not the cluster).
   */
  notes: string[];
  status: StatusData;
}

/**
 * The check itself, for the action and the bot's watcher (which polls it without lock or audit).
 * `askNodes: false` leaves out the questions put to every running node (quorum-critical,
 * deprecated features: one docker exec each), for a watcher whose checks do not include them.
 */
export async function checkCluster(ctx: ActionContext, s: ClusterServices, options: { askNodes?: boolean } = {}): Promise<CheckData> {
  const status = await gatherStatus(ctx, s);
  const extra = await step(ctx, 'extra', 'quorum-critical nodes, deprecated features, support', () => extraFacts(s, status, options.askNodes ?? true));
  const findings = judgeStatus(status, extra);
  return { cluster: ctx.cluster.manifest.name, verdict: verdictOf(findings), findings, notes: extra.notes, status };
}

async function extraFacts(s: ClusterServices, status: StatusData, askNodes: boolean): Promise<ExtraFacts> {
  const { manifest } = s.cluster;
  const running = askNodes ? manifest.nodes.filter((n) => status.nodes.find((x) => x.name === n.name)?.running) : [];
  // asked of every running node at once: each is one docker exec
  const gates = await Promise.all(
    running.map(async (node) => ({ node: node.name, gate: await quorumGate(s.compose, node, manifest.rabbitmq.mirroring).catch(() => undefined) })),
  );
  const quorumCritical = gates.filter((g) => g.gate?.critical).map((g) => ({ node: g.node, findings: g.gate!.findings }));
  const deprecated = running[0] ? await deprecatedFeaturesUsed(s.compose, running[0]).catch(() => undefined) : undefined;
  const version = status.version ?? manifest.rabbitmq.version;
  return { quorumCritical, deprecated, ...supportFacts(version, todayUtc(s.tools.now())) };
}

/**
 * A line past community support is a finding while the table knows a supported line to move to;
 * once it knows none on `today`, rmq-compose's knowledge has run out and that is said once, as a
 * note that changes no verdict.
 */
export function supportFacts(version: string, today: string): Pick<ExtraFacts, 'support' | 'notes'> {
  const state = supportOn(version, today);
  const newest = newestSupportedLine(today);
  if (!newest && (state.kind === 'ended' || (state.kind === 'unknown' && state.why === 'table-ran-out'))) {
    const ended = state.kind === 'ended' && state.ended ? ` (RabbitMQ ${version}'s community support ended ${state.ended})` : '';
    return { support: undefined, notes: [`${outdatedTableNote(today)}${ended}`] };
  }
  return { support: state.kind === 'ended' ? { version, ended: state.ended, newest: newest?.line } : undefined, notes: [] };
}
