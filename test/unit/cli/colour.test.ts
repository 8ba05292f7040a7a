import { colourEnabled, paint } from '../../../cli/colour.js';
import { colourVerdicts, errorLabel, warningLabel } from '../../../cli/output.js';

const terminal = { isTTY: true, hasColors: () => true };
const pipe = {};
const ESC = '\u001b[';

describe('colour: NO_COLOR, FORCE_COLOR, a terminal', () => {
  test.each([
    ['a terminal that shows colours', terminal, {}, true],
    ['a terminal that does not (TERM=dumb)', { isTTY: true, hasColors: () => false }, {}, false],
    ['a pipe or a file', pipe, {}, false],
    ['NO_COLOR on a terminal', terminal, { NO_COLOR: '1' }, false],
    ['NO_COLOR="" is not set (no-color.org)', terminal, { NO_COLOR: '' }, true],
    ['FORCE_COLOR=1 on a pipe', pipe, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR="" on a pipe', pipe, { FORCE_COLOR: '' }, true],
    ['FORCE_COLOR=0 on a terminal', terminal, { FORCE_COLOR: '0' }, false],
    ['FORCE_COLOR=false on a terminal', terminal, { FORCE_COLOR: 'false' }, false],
    ['NO_COLOR wins over FORCE_COLOR', terminal, { NO_COLOR: 'yes', FORCE_COLOR: '1' }, false],
  ])('%s', (_, stream, env, expected) => {
    expect(colourEnabled(stream, env)).toBe(expected);
  });

  test('paint closes what it opens, and is the identity when off', () => {
    expect(paint('error:', 'red', true)).toBe(`${ESC}31merror:${ESC}39m`);
    expect(paint('x', 'bold', true)).toBe(`${ESC}1mx${ESC}22m`);
    expect(paint('error:', 'red', false)).toBe('error:');
    expect(errorLabel(true)).toBe(`${ESC}31merror:${ESC}39m`);
    expect(warningLabel(true)).toBe(`${ESC}33mwarning:${ESC}39m`);
    expect(warningLabel(false)).toBe('warning:');
  });

  test("check's verdicts: the headline's and each finding's, at the start of a line only", () => {
    const text = 'seed: DEGRADED (2 findings)\nCRITICAL node rabbit2: down → start it\nDEGRADED queue CRITICAL: HEALTHY mirrors → sync';
    expect(colourVerdicts(text, true)).toBe(
      `seed: ${ESC}33mDEGRADED${ESC}39m (2 findings)\n${ESC}31mCRITICAL${ESC}39m node rabbit2: down → start it\n${ESC}33mDEGRADED${ESC}39m queue CRITICAL: HEALTHY mirrors → sync`,
    );
    expect(colourVerdicts('seed: HEALTHY', true)).toBe(`seed: ${ESC}32mHEALTHY${ESC}39m`);
    expect(colourVerdicts(text, false)).toBe(text);
  });
});
