/**
 * RabbitMQ release lines: when each came out, when its community support ends, and which
 * upgrades between them RabbitMQ supports. The generator warns on a spec whose image is past
 * community support and takes its default image from here; ops asks `upgradePath` before it
 * upgrades a cluster. Pure: every function that depends on the date takes `today`, which the
 * caller reads from its injected clock (lib/clock.ts).
 *
 * Sources (read in the rabbitmq/rabbitmq-website repository, snapshot of 2026-08-21, which is
 * what https://www.rabbitmq.com is built from):
 *
 * [RI] https://www.rabbitmq.com/release-information ("Release Information"): a table with, per
 *   release line, every patch release with its "Date of Release", then "End of Community
 *   Support" and "End of Commercial Support". The data is docusaurus.config.js
 *   (customFields.releaseBranches.rabbitmq). 4.1, 4.2 and 4.3 carry an explicit
 *   `end_of_community_support` there. For the older lines still listed (3.10 to 4.0) the page
 *   derives the date (src/components/RabbitMQServerReleaseInfo/index.js): the last day of the
 *   month in which the next line's first release shipped. The page also says "Older releases
 *   not listed in the table above are unsupported." The page colours a line unsupported from
 *   its end date on (`date > now` is "supported"), so this table does the same: the end date
 *   is the first day without community support.
 * [RS] the page's predecessor, https://www.rabbitmq.com/versions.html ("Release Series",
 *   site/versions.md in the same repository's history): in 2022 it gave 3.8 "End of General
 *   Support 31 January 2022" (end of life 31 July 2022); in July 2023 it gave 3.9 "End of
 *   Community Support 31 January, 2023" (end of life 31 July 2023), and first releases
 *   3.8.0 on 1 October 2019 and 3.9.0 on 26 July 2021. [RI] no longer lists 3.8 and 3.9.
 * [B41] https://www.rabbitmq.com/blog/2025/04/15/rabbitmq-4.1.0-is-released: "With the release
 *   of RabbitMQ 4.1.0, [4.0.x] is no longer covered by community support" (15 April 2025; [RI]
 *   shows 30 April 2025 for 4.0, by the rule above).
 * [B43] https://www.rabbitmq.com/blog/2026/04/23/rabbitmq-4.3-release: "Khepri is now the only
 *   supported metadata store in RabbitMQ 4.3. Mnesia — along with partition handling
 *   strategies like pause_if_all_down, pause_minority, and autoheal — has been entirely
 *   removed"; "We recommend enabling the khepri_db feature flag before upgrading to 4.3."
 * [UP] https://www.rabbitmq.com/docs/upgrade#rabbitmq-version-upgradability (4.3 docs):
 *   "RabbitMQ 3.13.x users must first upgrade to 4.2.x, then to 4.3.x. Upgrading to 4.3.x is
 *   only possible from 4.2.x." and the table of supported upgrade paths copied into
 *   UPGRADE_EDGES below; "RabbitMQ 3.13 with Khepri enabled cannot be upgraded to 4.x.
 *   Blue-Green Deployment can still be used in this situation".
 * [RU] https://www.rabbitmq.com/docs/rolling-upgrade: "Rolling upgrades don't support skipping
 *   versions, except patch releases (for example you can upgrade directly from 3.13.0 to 3.13.7
 *   but you cannot upgrade directly from 3.12.x to 4.0)".
 * [BG] https://www.rabbitmq.com/docs/blue-green-upgrade: for upgrades a rolling upgrade cannot
 *   do, "for example, from 3.12.x to 4.0.x or from a 3.13.x cluster with Khepri enabled to 4.0.x".
 *
 * [R440] https://github.com/rabbitmq/rabbitmq-server/releases/tag/v4.4.0, read 2026-12-07:
 *   "released this 19 Oct" (2026: its tag follows 4.3.5 of 2026-08-17), "RabbitMQ 4.4.0 is a new
 *   feature release". Its breaking changes: the AMQP 0-9-1 headers x-amqp-1.0-properties,
 *   -app-properties, -message-annotations and -footer, and the x-basic-delivery-mode/-priority/
 *   -expiration annotations of stream entries, "are no longer parsed" (only messages stored by
 *   3.13 or earlier carry them); OpenID Connect discovery is validated more strictly.
 * [R441] https://github.com/rabbitmq/rabbitmq-server/releases/tag/v4.4.1, read 2026-12-07:
 *   "released this 16 Nov"; "The minimum supported Erlang version for this release series is
 *   27.0"; definition export no longer includes bindings to exclusive queues or of queues deleted
 *   meanwhile, and import skips bindings to amq.* and missing server-named queues.
 * [FF44] rabbitmq-server deps/rabbit/src/rabbit_core_ff.erl (commit f7089a0 of 2026-07-22): the
 *   stable feature flag 'rabbitmq_4.4.0', "Allows rolling upgrades to 4.4.x", depends_on
 *   'rabbitmq_4.3.0' (which "Allows rolling upgrades to 4.3.x" and depends on 'rabbitmq_4.2.0'):
 *   the same chain [UP] documents for 4.3 ("Upgrading to 4.3.x is only possible from 4.2.x").
 *   No 4.4 row of [UP] could be read: the edge 4.3 → 4.4 below rests on [FF44] and on [RU]'s
 *   rule that rolling upgrades do not skip lines.
 *
 * 4.4: [RI] as read (snapshot of 2026-08-21) ends at 4.3, and no published end of community
 * support for 4.4 could be found on 2026-12-07. The table then vouches for 4.4 until
 * TABLE_VOUCHES_UNTIL: RabbitMQ ships a line about every six months (4.1.0 2025-04-15, 4.2.0
 * 2025-10-28, 4.3.0 2026-04-23, 4.4.0 2026-10-19) and ended the previous line's community support
 * one to three months after each ([RI]: 4.2 on 2026-07-31, 4.3 on 2026-11-30), so 4.4's cannot end
 * before 4.5 ships. Past that day `supportOn` says `unknown` (the table ran out), `check` says so
 * once as information and `validate` warns once: update rmq-compose. Nothing says the cluster
 * degraded because rmq-compose's knowledge is old.
 *
 * What 4.4 changes for rmq-compose, from [R440], [R441], [FF44] (checked 2026-12-07): nothing in
 * the generated files (the same rabbitmq.conf keys, ports 5672/15672/15692, Khepri only as 4.3:
 * the 4.3 rules apply to every line from 4.3 on through `atLeast(4, 3)`); `upgrade` reaches 4.4
 * only from 4.3, with every stable feature flag enabled first (notes below); `migrate` moves
 * definitions, which 4.4.1 exports without bindings to exclusive queues; `check` and the bot
 * learn its support dates from here. The e2e tests run 4.3.6 at most: no Debian suite packages
 * 4.4 (README "Tests").
 */

import { parseVersion, type ParsedVersion } from './version-parse.js';

/** The day the dates below were last checked against the sources. */
export const TABLE_CHECKED = '2026-12-07';

/**
 * Until when the table vouches for a line whose end of community support is not published: the
 * earliest day the next line (4.5, six months after 4.4.0) could end it. See the header.
 */
export const TABLE_VOUCHES_UNTIL = '2027-04-19';

export interface ReleaseLine {
  /** "4.2" */
  line: string;
  major: number;
  minor: number;
  /** Date of the line's first public release (x.y.0), YYYY-MM-DD. */
  released: string;
  /** First day without community support, YYYY-MM-DD; undefined where the docs give no date. */
  communitySupportEnds: string | undefined;
  /** Where the dates come from (keys of the sources above) and anything odd about them. */
  source: string;
}

/** Oldest first. */
export const RELEASE_LINES: readonly ReleaseLine[] = [
  {
    line: '3.8',
    major: 3,
    minor: 8,
    released: '2019-10-01',
    communitySupportEnds: '2022-01-31',
    source: '[RS] (general support, as the 2022 page called it); not in [RI]',
  },
  { line: '3.9', major: 3, minor: 9, released: '2021-07-26', communitySupportEnds: '2023-01-31', source: '[RS]; not in [RI]' },
  {
    line: '3.10',
    major: 3,
    minor: 10,
    released: '2022-05-03',
    communitySupportEnds: '2022-09-30',
    source: '[RI], derived from 3.11.0 (2022-09-28); [RS] in July 2023 said 2023-07-31',
  },
  {
    line: '3.11',
    major: 3,
    minor: 11,
    released: '2022-09-28',
    communitySupportEnds: '2023-06-30',
    source: '[RI], derived from 3.12.0 (2023-06-02); [RS] in 2023 said 2023-12-31',
  },
  {
    line: '3.12',
    major: 3,
    minor: 12,
    released: '2023-06-02',
    communitySupportEnds: '2024-02-29',
    source: '[RI], derived from 3.13.0 (2024-02-22); [RS] in 2023 said 2024-06-30',
  },
  {
    line: '3.13',
    major: 3,
    minor: 13,
    released: '2024-02-22',
    communitySupportEnds: '2024-09-30',
    source: '[RI], derived from 4.0.1 (2024-09-18); in March 2024 [RI] said 2025-03-01',
  },
  {
    line: '4.0',
    major: 4,
    minor: 0,
    released: '2024-09-18',
    communitySupportEnds: '2025-04-30',
    source: '[RI], derived from 4.1.0 (2025-04-15); [B41] says it ended with 4.1.0 on 2025-04-15',
  },
  { line: '4.1', major: 4, minor: 1, released: '2025-04-15', communitySupportEnds: '2026-01-31', source: '[RI], explicit' },
  { line: '4.2', major: 4, minor: 2, released: '2025-10-28', communitySupportEnds: '2026-07-31', source: '[RI], explicit' },
  {
    line: '4.3',
    major: 4,
    minor: 3,
    released: '2026-04-23',
    communitySupportEnds: '2026-11-30',
    source: '[RI], explicit; [B43]: Khepri only, no Mnesia, no RAM nodes, no partition handling',
  },
  {
    line: '4.4',
    major: 4,
    minor: 4,
    released: '2026-10-19',
    communitySupportEnds: undefined,
    source: '[R440]; end not published on 2026-12-07 (see TABLE_VOUCHES_UNTIL); Khepri only, as 4.3',
  },
];

/** The newest line in the table: the default image's line and what an unknown tag means. */
export const NEWEST_LINE: ReleaseLine = RELEASE_LINES[RELEASE_LINES.length - 1]!;

/** The image `init` writes and the spec defaults to: the newest line's management tag. */
export const DEFAULT_IMAGE = managementImage(NEWEST_LINE);

export function managementImage(line: Pick<ReleaseLine, 'line'>): string {
  return `rabbitmq:${line.line}-management`;
}

/**
 * Supported rolling (in-place) upgrades between lines, copied from [UP]: from any patch of the
 * first line (or from `minPatch` on) to any patch of the second ([FF44] for 4.3 → 4.4). 3.7.18 → 3.8 is there too but
 * 3.7 is older than this table.
 */
export const UPGRADE_EDGES: ReadonlyArray<{ from: string; to: string; minPatch?: number }> = [
  { from: '4.3', to: '4.4' }, // [FF44]: 'rabbitmq_4.4.0' depends on 'rabbitmq_4.3.0'
  { from: '4.2', to: '4.3' },
  { from: '4.1', to: '4.2' },
  { from: '4.0', to: '4.2' },
  { from: '4.0', to: '4.1' },
  { from: '3.13', to: '4.2' },
  { from: '3.13', to: '4.1' },
  { from: '3.13', to: '4.0' },
  { from: '3.12', to: '3.13' },
  { from: '3.11', to: '3.12', minPatch: 18 },
  { from: '3.10', to: '3.11' },
  { from: '3.9', to: '3.10' },
  { from: '3.8', to: '3.9' },
];

/** A version as text ("4.2", "4.2.5") or as the generator's parsed version (text may carry the patch). */
export type VersionLike = string | { major: number; minor: number; text?: string };

type Parsed = ParsedVersion;

/**
 * A version as text ("4.2.5" → { major 4, minor 2, patch 5 }; undefined when not MAJOR.MINOR[.PATCH])
 * or the generator's parsed one, through the one parser (contract/version-parse.ts).
 */
export function parseVersionLike(version: VersionLike): Parsed | undefined {
  if (typeof version === 'string') return parseVersion(version);
  return (
    parseVersion(version.text ?? `${version.major}.${version.minor}`) ?? {
      major: version.major,
      minor: version.minor,
      patch: undefined,
      text: `${version.major}.${version.minor}`,
    }
  );
}

const compareLines = (a: { major: number; minor: number }, b: { major: number; minor: number }) => a.major - b.major || a.minor - b.minor;
const lineName = (v: { major: number; minor: number }) => `${v.major}.${v.minor}`;

/** The table's entry for the version's line (4.2.5 → 4.2); undefined when not in the table. */
export function releaseLine(version: VersionLike): ReleaseLine | undefined {
  const v = parseVersionLike(version);
  return v && RELEASE_LINES.find((l) => compareLines(l, v) === 0);
}

/** The UTC calendar date (YYYY-MM-DD) of an instant: what support is judged on. */
export function todayUtc(now: Date | number): string {
  return new Date(now).toISOString().slice(0, 10);
}

const day = (today: string | Date) => (typeof today === 'string' ? today : todayUtc(today));

/**
 * What the table says of a line's community support on a day:
 * - `supported`: released, and its end date is later (or unpublished, within what the table vouches for);
 * - `ended`: on or after its end date, or older than the table ([RI]: older releases are unsupported);
 * - `unknown`: the table cannot tell: a line newer than the table or not yet out on that day, a
 *   version that is no version, or a line without a published end date from `TABLE_VOUCHES_UNTIL`
 *   on (the table's knowledge ran out).
 */
export type SupportState =
  | { kind: 'supported'; line: ReleaseLine; ends: string | undefined }
  | { kind: 'ended'; line: ReleaseLine | undefined; ended: string | undefined }
  | { kind: 'unknown'; line: ReleaseLine | undefined; why: 'not-a-version' | 'newer-than-table' | 'not-yet-released' | 'table-ran-out' };

export function supportOn(version: VersionLike, today: string | Date): SupportState {
  const v = parseVersionLike(version);
  if (!v) return { kind: 'unknown', line: undefined, why: 'not-a-version' };
  if (compareLines(v, RELEASE_LINES[0]!) < 0) return { kind: 'ended', line: undefined, ended: undefined };
  const line = releaseLine(v);
  if (!line) return { kind: 'unknown', line: undefined, why: 'newer-than-table' };
  const d = day(today);
  if (d < line.released) return { kind: 'unknown', line, why: 'not-yet-released' };
  if (line.communitySupportEnds !== undefined) {
    return d >= line.communitySupportEnds
      ? { kind: 'ended', line, ended: line.communitySupportEnds }
      : { kind: 'supported', line, ends: line.communitySupportEnds };
  }
  return d < TABLE_VOUCHES_UNTIL ? { kind: 'supported', line, ends: undefined } : { kind: 'unknown', line, why: 'table-ran-out' };
}

/**
 * True when the version's line no longer has community support on `today` (YYYY-MM-DD or a
 * Date), and for every line older than the table ([RI]: older releases are unsupported).
 * False for a line newer than the table, and for one whose end date is not published.
 */
export function isPastCommunitySupport(version: VersionLike, today: string | Date): boolean {
  return supportOn(version, today).kind === 'ended';
}

/**
 * True when the table knows no line in community support on `today`: rmq-compose's own knowledge
 * has run out (update rmq-compose), which says nothing about the cluster.
 */
export function versionTableOutdated(today: string | Date): boolean {
  return day(today) >= NEWEST_LINE.released && newestSupportedLine(today) === undefined;
}

/** The sentence for an outdated table: said once, as information (check, validate). */
export function outdatedTableNote(today: string | Date): string {
  return `rmq-compose's version table ends at ${NEWEST_LINE.line} (checked ${TABLE_CHECKED}) and knows no RabbitMQ line in community support on ${day(today)}; update rmq-compose`;
}

/** The newest line released and still in community support on `today`; undefined when none is. */
export function newestSupportedLine(today: string | Date): ReleaseLine | undefined {
  const d = day(today);
  return [...RELEASE_LINES].reverse().find((l) => supportOn(l.line, d).kind === 'supported');
}

export type UpgradePath =
  /** `steps`: one rolling upgrade per entry, in order, each to a release line; the last is the target's line. */
  { kind: 'in-place'; steps: string[]; notes: string[] } | { kind: 'blue-green'; reason: string } | { kind: 'refused'; reason: string; suggestion: string };

/** The ops action for a blue-green move to a new cluster (named here; ops owns it). */
const MIGRATE = '`migrate` (blue-green: a new cluster, definitions and messages moved to it)';

/**
 * How to go from one version to another: rolling upgrades (one or several, through the lines
 * [UP] supports), a blue-green migration where no rolling upgrade can be done, or refused.
 * `khepri`: the cluster runs 3.13 with the khepri_db feature flag enabled.
 */
export function upgradePath(from: VersionLike, to: VersionLike, options: { khepri?: boolean } = {}): UpgradePath {
  const a = parseVersionLike(from);
  const b = parseVersionLike(to);
  if (!a || !b) {
    return {
      kind: 'refused',
      reason: `"${!a ? String(from) : String(to)}" is not a RabbitMQ version (like 4.2 or 4.2.5)`,
      suggestion: 'give versions as MAJOR.MINOR or MAJOR.MINOR.PATCH',
    };
  }
  const oldest = RELEASE_LINES[0]!;
  if (compareLines(b, NEWEST_LINE) > 0) {
    return {
      kind: 'refused',
      reason: `RabbitMQ ${b.text} is newer than every line rmq-compose knows (up to ${NEWEST_LINE.line}); its upgrade paths are not in contract/rabbitmq-versions.ts`,
      suggestion: `check https://www.rabbitmq.com/docs/upgrade and add ${lineName(b)} to the table, or ${MIGRATE}`,
    };
  }
  const cmp = compareLines(b, a) || (a.patch !== undefined && b.patch !== undefined ? b.patch - a.patch : 0);
  if (cmp < 0) {
    return {
      kind: 'refused',
      reason: `${a.text} → ${b.text} is a downgrade; RabbitMQ does not support downgrades`,
      suggestion: `keep ${a.text}, restore a backup taken on ${b.text}, or ${MIGRATE} to a new ${b.text} cluster`,
    };
  }
  if (compareLines(a, oldest) < 0) {
    return {
      kind: 'refused',
      reason: `RabbitMQ ${a.text} is older than every line rmq-compose knows (${oldest.line} onwards) and has no supported rolling upgrade to ${b.text}`,
      suggestion: MIGRATE,
    };
  }
  if (compareLines(a, b) === 0) return { kind: 'in-place', steps: [lineName(b)], notes: notesFor(a, [lineName(b)]) };

  if (a.major === 3 && a.minor === 13 && b.major >= 4 && options.khepri) {
    return {
      kind: 'blue-green',
      reason: `3.13 with Khepri enabled cannot be upgraded to 4.x in place (its experimental Khepri is incompatible with 4.x's); ${MIGRATE} to a new ${b.text} cluster`,
    };
  }
  if (compareLines(a, { major: 3, minor: 13 }) < 0 && b.major >= 4) {
    const chain = pathBetween(a, { major: 3, minor: 13, patch: undefined, text: '3.13' })!;
    return {
      kind: 'refused',
      reason: `no rolling upgrade from ${a.text} to ${b.text}: rolling upgrades cannot skip lines, and 4.x is reached only from 3.13`,
      suggestion: `${MIGRATE} to a new ${b.text} cluster, or first upgrade in place ${[lineName(a), ...chain].join(' → ')}, then from 3.13 to ${lineName(b)}`,
    };
  }
  const steps = pathBetween(a, b)!;
  return { kind: 'in-place', steps, notes: notesFor(a, steps) };
}

/** The shortest chain of supported rolling upgrades from a's line to b's (both in the table, a older). */
function pathBetween(a: Parsed, b: Parsed): string[] | undefined {
  const start = lineName(a);
  const goal = lineName(b);
  // breadth first over the edges, newest target first, so 4.0 → 4.3 goes through 4.2, not 4.1
  const edges = [...UPGRADE_EDGES].sort((x, y) => compareLines(parseVersionLike(y.to)!, parseVersionLike(x.to)!));
  const previous = new Map<string, string>([[start, '']]);
  const queue = [start];
  while (queue.length > 0) {
    const line = queue.shift()!;
    if (line === goal) break;
    for (const edge of edges) {
      if (edge.from !== line || previous.has(edge.to) || compareLines(parseVersionLike(edge.to)!, b) > 0) continue;
      previous.set(edge.to, line);
      queue.push(edge.to);
    }
  }
  if (!previous.has(goal)) return undefined;
  const steps: string[] = [];
  for (let line = goal; line !== start; line = previous.get(line)!) steps.unshift(line);
  // [UP]: 3.11 → 3.12 only from 3.11.18 on; an older 3.11 patch goes to 3.11.18 first
  const first = UPGRADE_EDGES.find((e) => e.from === start && e.to === steps[0]);
  if (first?.minPatch !== undefined && a.patch !== undefined && a.patch < first.minPatch) steps.unshift(`${start}.${first.minPatch}`);
  return steps;
}

function notesFor(from: Parsed, steps: string[]): string[] {
  const notes = ['enable all stable feature flags before each step (rabbitmqctl enable_feature_flag all) and read the release notes of every line on the way'];
  const first = UPGRADE_EDGES.find((e) => e.from === lineName(from) && e.to === steps[0]);
  if (first?.minPatch !== undefined && from.patch === undefined)
    notes.push(`${first.to} is reached only from ${first.from}.${first.minPatch} or later: upgrade within ${first.from} first if older`);
  if (steps.includes('4.3') && lineName(from) !== '4.3')
    notes.push(
      '4.3 keeps metadata only in Khepri: enable the khepri_db feature flag on 4.2 first, or 4.3 nodes migrate Mnesia to Khepri as they boot; RAM nodes and partition handling are gone',
    );
  if (steps.includes('4.4') && lineName(from) !== '4.4')
    notes.push(
      '4.4 needs Erlang 27.0 or later and the 4.3 feature flags enabled (rabbitmq_4.3.0 before rabbitmq_4.4.0); it no longer parses the x-amqp-1.0-* headers 3.13 wrote: read such old messages before upgrading',
    );
  return notes;
}
