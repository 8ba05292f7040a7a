/**
 * The operations core's public entry: what the surfaces (CLI, Slack bot) may use. They parse a
 * request, hand it to the RequestRunner (authorize, prepare, busy, confirm, lock, audit, run)
 * with their ports, and render its outcome. (`ops/catalog.ts` is the other entry: action names
 * and kinds, with no heavy imports.)
 */
export { OpsCore, type ExecuteOptions, type OpsCoreOptions, type PrepareRequest } from './pipeline/ops-core.js';
export type { AuditSubject, PreparedAction } from './pipeline/prepared-action.js';
export { busyText, lockAge, lockPlace } from './pipeline/lock-message.js';
export { beginFolderWrite, type FolderWrite, type FolderWriter } from './pipeline/folder-write.js';
export { runAction, type RunActionOptions } from './run-action.js';
export { RequestRunner, type Approval, type RequestRunnerOptions, type Resumption } from './request/request-runner.js';
export type { OpsRequest, RequestOrigin } from './request/request.js';
export type { AuthDecision, AuthorizationPolicy, AuthQuery, Confirmer, RunHooks } from './request/ports.js';
export type { RequestOutcome } from './request/outcome.js';
export { needsConfirmation } from './request/confirmation-rule.js';
export { OPERATING_SYSTEM_USER_MAY } from './request/authorize.js';
export { resultOrThrow } from './request/terminal-result.js';
export type { ActionDefinition, ActionResult, ProgressStep } from './action.js';
export type { ActionDataMap, TypedResult } from './pipeline/action-table.js';
export type { Actor } from './actor.js';
export type { ClusterHandle } from './cluster-handle.js';
export { FileAuditSink, MaskedAuditSink, type AuditOutcome, type AuditRecord, type AuditSink } from './audit.js';
export type { ClusterLock, LockHolder, LockLease } from './lock.js';
export { AuditUnavailableError, CancelledError, DeniedError, ClusterBusyError, ClusterNotFoundError, InvalidArgumentError, RefusedError } from './errors.js';
export { redact } from './runner/redact.js';
export type { StatusData, NodeStatus, ListenerStatus, CertificateFact } from './status/status-view.js';
export { certificateLine } from './status/certificate-lines.js';
export { moreQueuesLine, queueCountsLine, QUEUES_SHOWN } from './status/queue-lines.js';
export type { QueueState, QueueStateCounts } from './status/queue-states.js';
export type { PartitionsData } from './actions/partitions.js';
export { CATALOG, CATALOG_ENTRIES, isMutating, type ActionName, type CatalogEntry } from './catalog.js';
export type { ObserveOptions, Observation } from './watch/observe.js';
export type { FlowHistory, MetricSample, Point, QueueStat } from './metrics/metric-sample.js';
export { ratesFromCounters } from './metrics/rates.js';
export { judgeMetrics, type MetricThresholds } from './health/thresholds.js';
export { verdictOf, type CheckId, type HealthFinding, type MetricCheckId, type RunbookStep, type Severity, type Verdict } from './health/findings.js';
