import {
  DEFAULT_IMAGE,
  isPastCommunitySupport,
  NEWEST_LINE,
  newestSupportedLine,
  RELEASE_LINES,
  outdatedTableNote,
  releaseLine,
  supportOn,
  TABLE_CHECKED,
  TABLE_VOUCHES_UNTIL,
  todayUtc,
  versionTableOutdated,
  upgradePath,
  type UpgradePath,
} from '../../../contract/rabbitmq-versions.js';

/** The day the table was last checked: every date here is pinned, none is read from the clock. */
const TODAY = '2026-12-07';

const steps = (path: UpgradePath) => (path.kind === 'in-place' ? path.steps : path.kind);

describe('release lines and community support (rabbitmq.com/release-information)', () => {
  test('lines 3.8 to 4.4, oldest first, each released before its support ends', () => {
    expect(RELEASE_LINES.map((l) => l.line)).toEqual(['3.8', '3.9', '3.10', '3.11', '3.12', '3.13', '4.0', '4.1', '4.2', '4.3', '4.4']);
    for (const l of RELEASE_LINES) {
      expect(l.line).toBe(`${l.major}.${l.minor}`);
      if (l.communitySupportEnds) expect(l.released < l.communitySupportEnds).toBe(true);
      expect(l.source).not.toBe('');
    }
    expect(NEWEST_LINE.line).toBe('4.4');
    expect(TABLE_CHECKED).toBe(TODAY);
  });

  test('release and end-of-community-support dates as published', () => {
    const table = Object.fromEntries(RELEASE_LINES.map((l) => [l.line, [l.released, l.communitySupportEnds]]));
    expect(table).toEqual({
      '3.8': ['2019-10-01', '2022-01-31'],
      '3.9': ['2021-07-26', '2023-01-31'],
      '3.10': ['2022-05-03', '2022-09-30'],
      '3.11': ['2022-09-28', '2023-06-30'],
      '3.12': ['2023-06-02', '2024-02-29'],
      '3.13': ['2024-02-22', '2024-09-30'],
      '4.0': ['2024-09-18', '2025-04-30'],
      '4.1': ['2025-04-15', '2026-01-31'],
      '4.2': ['2025-10-28', '2026-07-31'],
      '4.3': ['2026-04-23', '2026-11-30'],
      '4.4': ['2026-10-19', undefined], // [R440]; no end published on 2026-12-07
    });
  });

  test('releaseLine finds the line of a version, a patch version or a parsed version', () => {
    expect(releaseLine('4.2')?.line).toBe('4.2');
    expect(releaseLine('3.13.7')?.line).toBe('3.13');
    expect(releaseLine({ major: 4, minor: 1, text: '4.1.2' })?.line).toBe('4.1');
    expect(releaseLine('3.7')).toBeUndefined();
    expect(releaseLine('4.4.1')?.line).toBe('4.4');
    expect(releaseLine('4.5')).toBeUndefined();
    expect(releaseLine('latest')).toBeUndefined();
  });

  test('on 2026-12-07 only 4.4 is in community support; on 2026-11-28 4.3 and 4.4 were', () => {
    const supportedOn = (d: string) => RELEASE_LINES.filter((l) => supportOn(l.line, d).kind === 'supported').map((l) => l.line);
    expect(supportedOn(TODAY)).toEqual(['4.4']);
    expect(newestSupportedLine(TODAY)?.line).toBe('4.4');
    expect(supportedOn('2026-11-28')).toEqual(['4.3', '4.4']);
    expect(supportedOn('2026-10-18')).toEqual(['4.3']); // 4.4.0 came out the next day
  });

  test('4.3: supported the day before its end date, past support on it', () => {
    expect(supportOn('4.3.6', '2026-11-29')).toMatchObject({ kind: 'supported', ends: '2026-11-30' });
    expect(supportOn('4.3.6', '2026-11-30')).toMatchObject({ kind: 'ended', ended: '2026-11-30' });
    expect(isPastCommunitySupport('4.3.6', '2026-11-29')).toBe(false);
    expect(isPastCommunitySupport('4.3.6', '2026-11-30')).toBe(true);
  });

  test('4.4 has no published end: the table vouches for it until TABLE_VOUCHES_UNTIL, then it ran out', () => {
    const dayBefore = new Date(Date.parse(`${TABLE_VOUCHES_UNTIL}T00:00:00Z`) - 1);
    expect(supportOn('4.4', dayBefore)).toMatchObject({ kind: 'supported', ends: undefined });
    expect(supportOn('4.4', TABLE_VOUCHES_UNTIL)).toMatchObject({ kind: 'unknown', why: 'table-ran-out' });
    // not knowing is not "ended": nothing calls 4.4 past support on rmq-compose's say-so
    expect(isPastCommunitySupport('4.4', '2029-12-31')).toBe(false);
  });

  test('a table that knows no supported line: outdated, with one sentence that says what to do', () => {
    expect(versionTableOutdated(TODAY)).toBe(false);
    expect(versionTableOutdated(TABLE_VOUCHES_UNTIL)).toBe(true);
    expect(versionTableOutdated('2029-12-31')).toBe(true);
    expect(newestSupportedLine('2029-12-31')).toBeUndefined();
    expect(outdatedTableNote('2029-12-31')).toBe(
      `rmq-compose's version table ends at 4.4 (checked ${TABLE_CHECKED}) and knows no RabbitMQ line in community support on 2029-12-31; update rmq-compose`,
    );
    // before the table's newest line: not outdated, whatever is supported then
    expect(versionTableOutdated('2019-06-01')).toBe(false);
  });

  test('support ends on the published day (the page marks the line unsupported from that date)', () => {
    expect(isPastCommunitySupport('4.2.10', '2026-07-30')).toBe(false);
    expect(isPastCommunitySupport('4.2.10', '2026-07-31')).toBe(true);
    expect(isPastCommunitySupport('4.1', '2026-01-30')).toBe(false);
    expect(isPastCommunitySupport('4.1', '2026-01-31')).toBe(true);
    expect(isPastCommunitySupport('3.13', new Date('2024-09-29T23:59:59Z'))).toBe(false);
    expect(isPastCommunitySupport('3.13', new Date('2024-09-30T00:00:00Z'))).toBe(true);
  });

  test('lines older than the table are unsupported; lines newer than it are not judged', () => {
    expect(isPastCommunitySupport('3.7.28', '2019-01-01')).toBe(true);
    expect(isPastCommunitySupport('4.5', TODAY)).toBe(false);
    expect(supportOn('4.5', TODAY)).toMatchObject({ kind: 'unknown', why: 'newer-than-table' });
    expect(isPastCommunitySupport('nonsense', TODAY)).toBe(false);
    expect(supportOn('nonsense', TODAY)).toMatchObject({ kind: 'unknown', why: 'not-a-version' });
  });

  test('the newest supported line over time, and none once the table runs out', () => {
    expect(newestSupportedLine('2024-06-01')?.line).toBe('3.13');
    expect(newestSupportedLine('2025-04-14')?.line).toBe('4.0'); // 4.1.0 not out yet
    expect(newestSupportedLine('2025-04-15')?.line).toBe('4.1');
    expect(newestSupportedLine('2026-05-01')?.line).toBe('4.3');
    expect(newestSupportedLine('2026-10-19')?.line).toBe('4.4');
    expect(newestSupportedLine('2026-11-30')?.line).toBe('4.4');
    expect(newestSupportedLine(TABLE_VOUCHES_UNTIL)).toBeUndefined();
  });

  test('the default image is the management tag of the newest line, which is the newest supported today', () => {
    expect(DEFAULT_IMAGE).toBe('rabbitmq:4.4-management');
    expect(newestSupportedLine(TODAY)).toBe(NEWEST_LINE);
  });

  test('todayUtc is the UTC calendar date', () => {
    expect(todayUtc(new Date('2026-11-28T23:30:00-05:00'))).toBe('2026-11-29');
    expect(todayUtc(0)).toBe('1970-01-01');
  });
});

describe('upgrade paths (rabbitmq.com/docs/upgrade#rabbitmq-version-upgradability)', () => {
  test('3.13 to 4.0, 4.1 and 4.2: one rolling upgrade each', () => {
    expect(steps(upgradePath('3.13.7', '4.0'))).toEqual(['4.0']);
    expect(steps(upgradePath('3.13', '4.1.8'))).toEqual(['4.1']);
    expect(steps(upgradePath('3.13', '4.2'))).toEqual(['4.2']);
  });

  test('within 4.x every supported hop is direct: 4.0 → 4.1, 4.0 → 4.2, 4.1 → 4.2, 4.2 → 4.3', () => {
    expect(steps(upgradePath('4.0', '4.1'))).toEqual(['4.1']);
    expect(steps(upgradePath('4.0', '4.2'))).toEqual(['4.2']);
    expect(steps(upgradePath('4.1', '4.2'))).toEqual(['4.2']);
    expect(steps(upgradePath('4.2.10', '4.3.5'))).toEqual(['4.3']);
  });

  test('4.3 only from 4.2: 4.0, 4.1 and 3.13 go through 4.2', () => {
    expect(steps(upgradePath('4.0', '4.3'))).toEqual(['4.2', '4.3']);
    expect(steps(upgradePath('4.1', '4.3'))).toEqual(['4.2', '4.3']);
    expect(steps(upgradePath('3.13', '4.3'))).toEqual(['4.2', '4.3']);
  });

  test('a patch upgrade is one rolling upgrade within the line', () => {
    expect(steps(upgradePath('4.2.1', '4.2.10'))).toEqual(['4.2']);
  });

  test('4.4 only from 4.3 ([FF44]); older 4.x go through 4.2 and 4.3', () => {
    expect(steps(upgradePath('4.3.6', '4.4.1'))).toEqual(['4.4']);
    expect(steps(upgradePath('4.2', '4.4'))).toEqual(['4.3', '4.4']);
    expect(steps(upgradePath('4.0', '4.4'))).toEqual(['4.2', '4.3', '4.4']);
    expect(steps(upgradePath('3.13', '4.4'))).toEqual(['4.2', '4.3', '4.4']);
    const to44 = upgradePath('4.3', '4.4');
    expect(to44.kind === 'in-place' && to44.notes.join('\n')).toMatch(/Erlang 27\.0.*rabbitmq_4\.3\.0/);
  });

  test('going to 4.3 notes Khepri; every path notes the feature flags', () => {
    const to43 = upgradePath('4.2', '4.3');
    expect(to43.kind === 'in-place' && to43.notes.join('\n')).toMatch(/khepri_db/);
    const patch43 = upgradePath('4.3.5', '4.3.6');
    expect(patch43.kind === 'in-place' && patch43.notes).toEqual([expect.stringMatching(/stable feature flags/)]);
  });

  test('3.13 with Khepri enabled: blue-green only', () => {
    const path = upgradePath('3.13.7', '4.2', { khepri: true });
    expect(path.kind).toBe('blue-green');
    expect(path.kind === 'blue-green' && path.reason).toMatch(/^3\.13 with Khepri enabled cannot be upgraded to 4\.x in place.*`migrate` \(blue-green/);
    expect(steps(upgradePath('3.13.1', '3.13.7', { khepri: true }))).toEqual(['3.13']);
  });

  test('older than 3.13 to 4.x: refused, suggesting migrate or the rolling chain to 3.13', () => {
    const path = upgradePath('3.10.25', '4.2');
    expect(path).toEqual({
      kind: 'refused',
      reason: 'no rolling upgrade from 3.10.25 to 4.2: rolling upgrades cannot skip lines, and 4.x is reached only from 3.13',
      suggestion:
        '`migrate` (blue-green: a new cluster, definitions and messages moved to it) to a new 4.2 cluster, or first upgrade in place 3.10 → 3.11 → 3.12 → 3.13, then from 3.13 to 4.2',
    });
    expect(upgradePath('3.12', '4.0').kind).toBe('refused');
  });

  test('older than 3.13 within 3.x: the chain of one-line rolling upgrades', () => {
    expect(steps(upgradePath('3.8', '3.13'))).toEqual(['3.9', '3.10', '3.11', '3.12', '3.13']);
    expect(steps(upgradePath('3.12.14', '3.13'))).toEqual(['3.13']);
  });

  test('3.11 reaches 3.12 only from 3.11.18', () => {
    expect(steps(upgradePath('3.11.5', '3.12'))).toEqual(['3.11.18', '3.12']);
    expect(steps(upgradePath('3.11.28', '3.12'))).toEqual(['3.12']);
    const unknownPatch = upgradePath('3.11', '3.12');
    expect(steps(unknownPatch)).toEqual(['3.12']);
    expect(unknownPatch.kind === 'in-place' && unknownPatch.notes).toContain('3.12 is reached only from 3.11.18 or later: upgrade within 3.11 first if older');
  });

  test('downgrades are refused', () => {
    expect(upgradePath('4.2', '4.1')).toMatchObject({ kind: 'refused', reason: '4.2 → 4.1 is a downgrade; RabbitMQ does not support downgrades' });
    expect(upgradePath('4.2.10', '4.2.3').kind).toBe('refused');
  });

  test('lines outside the table and text that is not a version are refused', () => {
    expect(upgradePath('4.4', '4.5')).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/^RabbitMQ 4\.5 is newer than every line rmq-compose knows \(up to 4\.4\)/),
    });
    expect(upgradePath('3.7.28', '3.8')).toMatchObject({ kind: 'refused', suggestion: expect.stringMatching(/^`migrate`/) });
    expect(upgradePath('latest', '4.3')).toMatchObject({ kind: 'refused', reason: '"latest" is not a RabbitMQ version (like 4.2 or 4.2.5)' });
  });
});
