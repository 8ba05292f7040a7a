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
  /** Set (with state `unreachable`) when the host's engine could not be asked: why, in one line. */
  unreachable?: string;
}

/**
 * `docker ps --format` template: one JSON object per container, with the service read from the
 * label both Compose v1 and v2 put on every container they create.
 */
export const DOCKER_PS_FORMAT = '{"name":{{json .Names}},"state":{{json .State}},"status":{{json .Status}},"service":{{json (.Label "com.docker.compose.service")}}}';

const PsLine = z.object({ name: z.string(), state: z.string(), status: z.string(), service: z.string() });

/**
 * `docker ps --all --filter label=com.docker.compose.project=<p> --format DOCKER_PS_FORMAT`:
 * one line per container. Health is in the status text: "Up 2 minutes (healthy)",
 * "(unhealthy)", "(health: starting)".
 */
export function parseDockerPs(text: string): ContainerState[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => PsLine.parse(JSON.parse(l)))
    .filter((c) => c.service !== '')
    .map((c) => ({ service: c.service, name: c.name, state: c.state.toLowerCase(), health: healthOf(c.status) }));
}

function healthOf(status: string): string {
  const m = /\((healthy|unhealthy|health: starting)\)/.exec(status);
  if (!m) return '';
  return m[1] === 'health: starting' ? 'starting' : m[1]!;
}
