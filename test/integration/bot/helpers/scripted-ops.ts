import { OpsCore, type HealthFinding, type MetricSample, type ObserveOptions, type Observation } from '../../../../ops/index.js';

/** observe() answers what the test scripted for each cluster (by its configured name). */
export class ScriptedOps extends OpsCore {
  readonly next = new Map<string, () => Observation>();
  names = new Map<string, string>();
  readonly options: ObserveOptions[] = [];
  override async observe(dir: string, options: ObserveOptions = {}): Promise<Observation> {
    this.options.push(options);
    const script = this.next.get(this.names.get(dir) ?? '');
    if (!script) throw new Error(`no script for ${dir}`);
    return script();
  }
}

/** What one poll finds: `check`'s findings, and a metrics sample when the test gives one. */
export function observation(findings: HealthFinding[], at: number, sample?: Omit<MetricSample, 'at'>): Observation {
  return {
    at,
    durationMs: 5,
    check: {
      cluster: 'seed',
      verdict: findings.length ? 'degraded' : 'healthy',
      findings,
      notes: [],
      status: { cluster: 'seed', nodes: [], partitions: [], source: 'script', healthy: !findings.length },
    },
    ...(sample ? { sample: { at, ...sample } } : {}),
  };
}
