import { compareVersions, leadingVersion, parseVersion, VERSION_TEXT, versionInImageTag } from '../../../contract/version-parse.js';
import { parseVersionLike } from '../../../contract/rabbitmq-versions.js';
import { parseVersion as generatorVersion, versionFromImage } from '../../../generator/spec/version.js';

/** What the three readers before contract/version-parse.ts accepted, now read by the one parser. */
describe('the one version parser', () => {
  test('MAJOR.MINOR[.PATCH], the whole text: spec, manifest, --version, the release table', () => {
    expect(parseVersion('4.3')).toEqual({ major: 4, minor: 3, patch: undefined, text: '4.3' });
    expect(parseVersion('4.3.6')).toEqual({ major: 4, minor: 3, patch: 6, text: '4.3.6' });
    expect(parseVersion('3.13.7')).toEqual({ major: 3, minor: 13, patch: 7, text: '3.13.7' });
    for (const bad of ['4', '4.x', 'four', '4.3.6.1', ' 4.3', '4.3-management', '4.3.6+2.g1234', '', 'v4.3']) {
      expect(parseVersion(bad)).toBeUndefined();
      expect(VERSION_TEXT.test(bad)).toBe(false);
    }
  });

  test('the version a tag or a node report starts with', () => {
    expect(leadingVersion('4.3-management')).toMatchObject({ major: 4, minor: 3, patch: undefined, text: '4.3' });
    expect(leadingVersion('3.13.7-management-alpine')).toMatchObject({ major: 3, minor: 13, patch: 7, text: '3.13.7' });
    expect(leadingVersion('4.1.2_custom')).toMatchObject({ major: 4, minor: 1, patch: 2, text: '4.1.2' });
    expect(leadingVersion('4.3.6+2.g1234')).toMatchObject({ major: 4, minor: 3, patch: 6, text: '4.3.6' });
    // a major alone reads as its .0, as the generator always read it
    expect(leadingVersion('4-management')).toEqual({ major: 4, minor: 0, patch: undefined, text: '4' });
    for (const bad of ['latest', 'management', 'management-4.3', '4.3management', '4.3.6.1', '']) expect(leadingVersion(bad)).toBeUndefined();
  });

  test('image references: the tag tells, a registry port or a digest does not', () => {
    expect(versionInImageTag('rabbitmq:4.3-management')?.text).toBe('4.3');
    expect(versionInImageTag('rabbitmq:4.3.6')?.text).toBe('4.3.6');
    expect(versionInImageTag('rabbitmq:3.13.7-management-alpine')?.text).toBe('3.13.7');
    expect(versionInImageTag('registry.example.com:5000/team/rabbitmq:4.0')?.text).toBe('4.0');
    expect(versionInImageTag('registry:5000/rabbitmq:4.1.2-alpine')?.text).toBe('4.1.2');
    for (const none of [
      'rabbitmq',
      'rabbitmq:latest',
      'rabbitmq:management',
      'registry:5000/rabbitmq',
      `rabbitmq@sha256:${'a'.repeat(64)}`,
      `rabbitmq:4.3@sha256:${'1'.repeat(64)}`,
      '[::1]',
    ]) {
      expect(versionInImageTag(none)).toBeUndefined();
    }
  });

  test('one comparison: major, minor, patch; a missing patch is .0; no version sorts first', () => {
    expect(['4.3.6', '3.13.7', '4.3', '4.10.0', '4.3.10', '4.3.6+2.g1234', 'unknown'].sort(compareVersions)).toEqual([
      'unknown',
      '3.13.7',
      '4.3',
      '4.3.6',
      '4.3.6+2.g1234',
      '4.3.10',
      '4.10.0',
    ]);
    expect(compareVersions('4.3', '4.3.0')).toBe(0);
    expect(compareVersions(parseVersion('4.2')!, '4.3')).toBeLessThan(0);
  });

  test('the generator and the release table read through it', () => {
    expect(generatorVersion('3.13')).toEqual({ major: 3, minor: 13, text: '3.13', known: true });
    expect(generatorVersion('4')).toBeUndefined();
    expect(versionFromImage('rabbitmq:4.3-management')).toEqual({ major: 4, minor: 3, text: '4.3', known: true });
    expect(versionFromImage('rabbitmq:4-management')).toEqual({ major: 4, minor: 0, text: '4', known: true });
    expect(versionFromImage('rabbitmq:latest')).toBeUndefined();
    expect(parseVersionLike('4.2.5')).toEqual({ major: 4, minor: 2, patch: 5, text: '4.2.5' });
    expect(parseVersionLike({ major: 4, minor: 3, text: '4.3.6' })).toEqual({ major: 4, minor: 3, patch: 6, text: '4.3.6' });
    expect(parseVersionLike({ major: 4, minor: 3, text: 'unknown' })).toEqual({ major: 4, minor: 3, patch: undefined, text: '4.3' });
    expect(parseVersionLike('4.x')).toBeUndefined();
  });
});
