import { ALL_ACTIONS } from '../../../ops/pipeline/action-table.js';
import { CATALOG_ENTRIES } from '../../../ops/catalog.js';
import { fakeManifest } from '../../support/memory-ops.js';

/**
 * The options each catalog entry lists (for --help and completion) are the ones its action's own
 * parser reads, with the same kind (a flag, or one that takes a value), and the ones its usage
 * line names.
 */
const manifest = fakeManifest();
const flagName = (flags: string) => flags.split(' ')[0]!;
const takesValue = (flags: string) => / </.test(flags);

describe('catalog options = what the parsers read', () => {
  const withOptions = CATALOG_ENTRIES.filter((e) => e.options?.length);

  test('the actions with options of their own', () => {
    expect(withOptions.map((e) => [e.name, e.options!.map((o) => o.flags)])).toEqual([
      ['join', ['--ram', '--disc', '--to <node>']],
      ['mirror-policy', ['--sync <automatic|manual>']],
      ['restart', ['--force']],
      ['drain', ['--force']],
      ['logs', ['--tail <N>']],
      ['backup', ['--keep <N>']],
      ['upgrade', ['--to <image>', '--version <X.Y.Z>', '--dry-run', '--plan <id>']],
      ['migrate', ['--to <image>', '--version <X.Y.Z>', '--subnet <a.b.c.0/24>', '--port-offset <N>', '--dry-run', '--plan <id>']],
      ['rotate-certs', ['--node <node>', '--roll-only', '--new-ca', '--retire-previous-ca', '--dry-run', '--plan <id>']],
    ]);
  });

  const cases = withOptions.flatMap((e) => e.options!.map((o) => [e.name, o.flags] as const));
  test.each(cases)('%s %s: its parser knows it, as a flag or with a value alike', (name, flags) => {
    const action = ALL_ACTIONS.find((a) => a.name === name)!;
    // the option alone: readArgv reads the options before it counts the positionals
    const argv = takesValue(flags) ? [`${flagName(flags)}=x`] : [flagName(flags)];
    let message = '';
    try {
      action.parse(argv, manifest);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toMatch(/unknown option|takes no value|needs a value/);
  });

  test.each(CATALOG_ENTRIES.map((e) => [e.name, e] as const))('%s: the options in its usage line are the ones it lists', (_, entry) => {
    const inUsage = [...new Set(entry.usage.match(/--[a-z-]+/g) ?? [])].sort();
    expect((entry.options ?? []).map((o) => flagName(o.flags)).sort()).toEqual(inUsage);
  });

  test('an option no parser has is refused by each (so the probe above can fail)', () => {
    for (const action of ALL_ACTIONS) {
      expect(() => action.parse(['--surely-not-an-option'], manifest)).toThrow(/unknown option --surely-not-an-option|takes no arguments/);
    }
  });
});
