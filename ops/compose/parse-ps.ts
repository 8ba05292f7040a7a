import { z } from 'zod';

/** One container of the project, whichever Compose version reported it. */
export interface ContainerState {
  service: string;
  name: string;
  /** running, exited, restarting, paused, created, dead… */
  state: string;
  /** healthy, unhealthy, starting, or '' when the service has no healthcheck. */
  health: string;
  /** Manifest host it runs on (set by ComposeClient.ps). */
  host?: string;
}

const PsV2Entry = z.object({
  Service: z.string(),
  Name: z.string(),
  State: z.string(),
  Health: z.string().optional().default(''),
});

/**
 * `docker compose ps --format json`: NDJSON (one object per line) in Compose 2.21+, a single
 * JSON array in earlier v2 releases. Both are accepted.
 */
export function parseComposePsJson(text: string): ContainerState[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const rows: unknown[] = trimmed.startsWith('[')
    ? z.array(z.unknown()).parse(JSON.parse(trimmed))
    : trimmed.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown);
  return rows.map((row) => {
    const e = PsV2Entry.parse(row);
    return { service: e.Service, name: e.Name, state: e.State.toLowerCase(), health: e.Health.toLowerCase() };
  });
}

const InspectEntry = z.object({
  Name: z.string(),
  State: z.object({
    Status: z.string(),
    Health: z.object({ Status: z.string() }).nullish(),
  }),
  Config: z.object({ Labels: z.record(z.string(), z.string()).nullish() }),
});

/**
 * `docker inspect <ids…>` (a JSON array), used with Compose v1, whose `ps` has no JSON output.
 * The service comes from the label Compose sets on every container it creates.
 */
export function parseDockerInspect(text: string): ContainerState[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  return z.array(InspectEntry).parse(JSON.parse(trimmed)).map((c) => ({
    service: c.Config.Labels?.['com.docker.compose.service'] ?? serviceFromV1Name(c.Name),
    name: c.Name.replace(/^\//, ''),
    state: c.State.Status.toLowerCase(),
    health: (c.State.Health?.Status ?? '').toLowerCase(),
  }));
}

/** v1 names containers <project>_<service>_<n>; the fallback when a label is missing. */
function serviceFromV1Name(name: string): string {
  const parts = name.replace(/^\//, '').split('_');
  return parts.length >= 3 ? parts.slice(1, -1).join('_') : name;
}
