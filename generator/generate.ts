import { join } from 'node:path';
import { todayUtc } from '../contract/rabbitmq-versions.js';
import { systemClock } from '../lib/clock.js';
import { SpecError } from '../lib/errors.js';
import { formatFinding } from '../lib/findings.js';
import { applyPlan, type ApplyResult } from './apply.js';
import { planLoaded, type ClusterPlan } from './plan.js';
import { loadSpecFiles } from './spec/load-spec-files.js';
import { readSecretState } from './write/secret-state.js';
import { prepareTls } from './tls/prepare-tls.js';
import type { TlsRenewal } from './tls/tls-material.js';

/** A spec as read from disk: its text, its file name (for headers) and the folder its paths start from. */
export interface SpecText {
  text: string;
  name: string;
  dir: string;
}

/**
 * Stands in for a secret nobody has, so that `--check` can still plan; the files built from it
 * are left out of the comparison (apply.ts), and plain gen stops before planning.
 */
const NO_VALUE = 'rmq-compose: no value';

/** What generateCluster and prepareGeneration take besides the spec. */
export interface GenerateOptions {
  outDir: string;
  env: Readonly<Record<string, string | undefined>>;
  check?: boolean;
  /** Called once the plan exists, before anything is compared or written (the CLI prints its warnings). */
  onPlan?: (plan: ClusterPlan) => void;
  /** The spec file as seen from the cluster folder, recorded in the manifest (plan.ts PlanInputs). */
  specFileFrom?: (clusterName: string) => string;
  /** Certificates to issue again although they still fit (rotate-certs). */
  renewTls?: TlsRenewal;
  /** When certificates are issued (tests); now otherwise. */
  now?: Date;
  /** Overwrite files edited by hand, each kept beside itself first (apply.ts). */
  force?: boolean;
  /**
   * Called with the cluster folder once, just before gen writes anything there (never when every
   * file is as it should be): the CLI takes the folder's lock there (ops/pipeline/folder-write.ts).
   */
  beforeWrite?: (clusterDir: string) => Promise<void>;
}

/**
 * `gen` below the CLI, in order: the spec and the files it names are read and checked; the
 * secrets are decided once (the environment, .env, or generated); the plan is made from those
 * (pure); then the writes, with the same secrets, so definitions.json holds the hash of exactly
 * the password .env gets.
 */
export async function generateCluster(spec: SpecText, options: GenerateOptions): Promise<{ plan: ClusterPlan; result: ApplyResult }> {
  const made = await makePlan(spec, options);
  options.onPlan?.(made.plan);
  return { plan: made.plan, result: await applyMade(made, options, options.check) };
}

/**
 * A plan that is a value: made once (certificates issued in memory, secrets decided), compared
 * with the disk (`preview`, nothing written), and written later by `write()`, which writes
 * exactly this plan: the same files, the same certificates and keys, the same secrets. Between
 * the two the caller may show the plan, ask, or refuse (ops' upgrade and rotate-certs do).
 * `write()` compares with the disk again, so a hand edit made in between is still refused.
 */
export interface PreparedGeneration {
  plan: ClusterPlan;
  preview: ApplyResult;
  write(): Promise<ApplyResult>;
}

export async function prepareGeneration(spec: SpecText, options: Omit<GenerateOptions, 'check' | 'onPlan'>): Promise<PreparedGeneration> {
  const made = await makePlan(spec, options);
  const preview = await applyMade(made, options, true);
  return { plan: made.plan, preview, write: () => applyMade(made, options, false) };
}

interface MadePlan {
  plan: ClusterPlan;
  secrets: Awaited<ReturnType<typeof readSecretState>>;
  now: Date;
  specName: string;
}

async function makePlan(spec: SpecText, options: Omit<GenerateOptions, 'onPlan'>): Promise<MadePlan> {
  // one instant for the whole run: the support warning and the certificates' dates agree
  const now = options.now ?? new Date(systemClock());
  const loaded = await loadSpecFiles(spec.text, spec.dir, { today: todayUtc(now) });
  if (!loaded.model || loaded.errors.length > 0) throw new SpecError(loaded.errors.map(formatFinding), spec.name);
  const secrets = await readSecretState(join(options.outDir, loaded.model.name), loaded.model.secrets, options.env);
  const values = new Map(secrets.values);
  if (loaded.definitions) {
    // the plan hashes a value nobody has: stop now, as the writes would
    if (!options.check && secrets.resolution.errors.length > 0) throw new SpecError(secrets.resolution.errors.map(formatFinding), spec.name);
    for (const variable of secrets.madeUp) if (!values.has(variable)) values.set(variable, NO_VALUE);
  }
  const tls = await prepareTls(loaded.model, {
    clusterDir: join(options.outDir, loaded.model.name),
    specDir: spec.dir,
    specName: spec.name,
    now,
    renew: options.renewTls,
    check: options.check,
  });
  const plan = planLoaded({ model: loaded.model, warnings: loaded.warnings, definitions: loaded.definitions }, spec.name, values, options.specFileFrom, tls);
  plan.tlsIssued = tls?.issued ?? [];
  return { plan, secrets, now, specName: spec.name };
}

function applyMade(made: MadePlan, options: Omit<GenerateOptions, 'check' | 'onPlan'>, check: boolean | undefined): Promise<ApplyResult> {
  return applyPlan(made.plan, options.outDir, {
    env: options.env,
    check,
    force: options.force,
    now: made.now,
    specName: made.specName,
    secrets: made.secrets,
    ...(options.beforeWrite ? { beforeWrite: () => options.beforeWrite!(join(options.outDir, made.plan.model.name)) } : {}),
  });
}
