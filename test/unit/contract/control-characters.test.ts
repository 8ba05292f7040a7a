import { CONTROL_CHARACTER } from '../../../contract/names.js';
import { controlCharacterFindings } from '../../../generator/spec/control-characters.js';
import { maskedAndClipped } from '../../../ops/args/argv.js';
import { policyPatternArg, queueNameArg } from '../../../ops/args/validators.js';

/**
 * One class of control characters (contract/names.ts): C0, DEL and C1. C1 matters as much as C0:
 * \u009b is a one-character CSI on terminals that honour 8-bit controls, \u0085 a line break.
 */
const C1 = ['\u0080', '\u0085', '\u009b', '\u009f'];

describe('C0, DEL and C1 are refused on every path', () => {
  test('the contract class covers C0, DEL and C1, and nothing printable around them', () => {
    for (const c of ['\u0000', '\n', '\u001b', '\u001f', '\u007f', ...C1]) expect(CONTROL_CHARACTER.test(`a${c}b`)).toBe(true);
    for (const c of [' ', '~', '\u00a0', 'é', '→']) expect(CONTROL_CHARACTER.test(`a${c}b`)).toBe(false);
  });

  test('the spec: a C1 character in any string is a finding with its path', () => {
    for (const c of C1)
      expect(controlCharacterFindings({ rabbitmq: { image: `rabbitmq:4.3${c}` } })).toEqual([
        { path: 'rabbitmq.image', message: expect.stringMatching(/control characters/) },
      ]);
  });

  test('ops arguments: a C1 character is masked where input is echoed, and refused in a policy pattern', () => {
    for (const c of C1) {
      expect(maskedAndClipped(`q${c}[31m`)).toBe('q?[31m');
      expect(() => queueNameArg(`q${c}[31m`)).toThrow('"q?[31m" is not a queue name');
      expect(() => policyPatternArg(`^orders${c}`)).toThrow('the pattern must be at most 255 printable characters');
    }
  });
});
