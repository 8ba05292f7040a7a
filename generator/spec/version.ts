import { NEWEST_LINE } from '../../contract/rabbitmq-versions.js';
import { parseVersion as parseVersionText, versionInImageTag, type ParsedVersion } from '../../contract/version-parse.js';

/** What rmq-compose needs to know about a RabbitMQ version to choose features. */
export interface RabbitmqVersion {
  major: number;
  minor: number;
  /** As read, e.g. "3.13" or "4.1.2"; "unknown" when neither the tag nor the spec says. */
  text: string;
  /** False when the image tag did not tell and no `rabbitmq.version` was given. */
  known: boolean;
}

/** The newest line rmq-compose knows (the version table's); an unknown tag (`latest`, `management`) means this. */
export const LATEST_KNOWN: RabbitmqVersion = { major: NEWEST_LINE.major, minor: NEWEST_LINE.minor, text: NEWEST_LINE.line, known: false };

/** The spec's `rabbitmq.version` (MAJOR.MINOR[.PATCH], contract/version-parse.ts) as the generator uses it. */
export function parseVersion(text: string): RabbitmqVersion | undefined {
  return known(parseVersionText(text));
}

/** `rabbitmq:3.13-management` → 3.13; `registry:5000/rabbitmq:4.1.2-alpine` → 4.1.2 (contract/version-parse.ts reads the tag). */
export function versionFromImage(image: string): RabbitmqVersion | undefined {
  return known(versionInImageTag(image));
}

const known = (v: ParsedVersion | undefined): RabbitmqVersion | undefined => v && { major: v.major, minor: v.minor, text: v.text, known: true };

export function atLeast(version: RabbitmqVersion, major: number, minor = 0): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/** Classic queue mirroring (ha-* policies) was removed in 4.0. */
export const supportsMirroring = (v: RabbitmqVersion) => !atLeast(v, 4, 0);
/** 4.3 removed Mnesia, and with it RAM nodes and cluster_partition_handling. */
export const hasMnesia = (v: RabbitmqVersion) => !atLeast(v, 4, 3);
/**
 * definitions.import_backend / definitions.local.path and definitions.skip_if_unchanged came with
 * 3.10.0 (its release notes: rabbitmq-server#3311, #4062); before, only load_definitions (3.8.2+).
 */
export const hasDefinitionsBackend = (v: RabbitmqVersion) => atLeast(v, 3, 10);
