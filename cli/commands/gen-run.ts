import { basename, dirname, join, relative, resolve } from 'node:path';
import { ENV_FILE } from '../../contract/cluster-files.js';
import type { ApplyResult } from '../../generator/apply.js';
import { generateCluster } from '../../generator/generate.js';
import type { FileRow } from '../../generator/write/check-diff.js';
import { HandEditedError, type HandEdit } from '../../generator/write/hand-edits.js';
import { isUserError } from '../../lib/errors.js';
import type { Finding } from '../../lib/findings.js';
import { beginFolderWrite, type FolderWrite } from '../../ops/index.js';
import { info, printWarnings } from '../output.js';
import { terminalActor } from '../terminal-actor.js';
import { resolveSpecSource } from '../spec-source.js';

export interface GenOptions {
  file?: string;
  out: string;
  check?: boolean;
  diff?: boolean;
  force?: boolean;
  json?: boolean;
}

/** What `gen --json` prints (stdout, nothing else there). Secrets by name only, never a value. */
export interface GenReport {
  cluster: string | null;
  /** The cluster folder, relative to the working directory. */
  dir: string | null;
  /** Every file of the cluster, and those a changed spec removed. Line counts: on disk → generated. */
  files: FileRow[];
  warnings: Finding[];
  /** Files edited by hand since gen wrote them: refused (exit 1, nothing written), or kept aside with --force (`keptAs`). */
  handEdited: Array<Omit<HandEdit, 'diff' | 'against'>>;
  secrets: ApplyResult['secrets'] | null;
  /** With --check: nothing written, and whether the folder is what the spec gives. */
  check?: { upToDate: boolean; notCompared: string[] };
  /** Why the run stopped (exit code non-zero), as the text mode would say it. */
  error?: string;
}

/** `rmq-compose gen`: plan, compare, write; returns the exit code. */
export async function runGen(options: GenOptions): Promise<number> {
  if (!options.json) return runGenText(options);
  const warnings: Finding[] = [];
  try {
    return await runGenText(options, (report) => process.stdout.write(`${JSON.stringify(report, null, 2)}\n`), warnings);
  } catch (error) {
    if (!isUserError(error)) throw error;
    const refused = error instanceof HandEditedError ? error : undefined;
    const report: GenReport = {
      cluster: refused ? basename(refused.clusterDir) : null,
      dir: refused ? relative(process.cwd(), refused.clusterDir) || '.' : null,
      files: [],
      warnings,
      handEdited: refused ? refused.handEdited.map(reportEntry) : [],
      secrets: null,
      error: error.message,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return error.exitCode;
  }
}

async function runGenText(options: GenOptions, json?: (report: GenReport) => void, jsonWarnings: Finding[] = []): Promise<number> {
  const say = json ? () => undefined : info;
  const warn = json ? (w: Finding[]) => void jsonWarnings.push(...w) : printWarnings;
  const source = await resolveSpecSource(options.file);
  say(`Using ${source.origin}`);
  // an existing cluster's folder is written under its lock, with a line in its audit.log (--check writes nothing)
  let write: FolderWrite | undefined;
  const outcome = await generateCluster(
    { text: source.text, name: source.name, dir: dirname(source.path) },
    {
      outDir: options.out,
      env: process.env,
      check: options.check,
      force: options.force,
      onPlan: (planned) => warn(planned.warnings),
      // the manifest remembers the user's spec (not the bundled one) so `upgrade` can record a new image in it
      ...(source.bundled ? {} : { specFileFrom: (name: string) => relative(resolve(join(options.out, name)), resolve(source.path)) }),
      ...(options.check
        ? {}
        : {
            beforeWrite: async (clusterDir: string) =>
              void (write = await beginFolderWrite(clusterDir, { actor: terminalActor(), action: 'gen', argv: genArgv(options, source.name) })),
          }),
    },
  ).catch(async (error: unknown) => {
    await write?.end({ ok: false, error }).catch(() => undefined);
    throw error;
  });
  const { plan, result } = outcome;
  const changes = result.changes.filter((c) => c.kind !== 'unchanged').length;
  await write?.end({
    ok: true,
    changedNothing: changes === 0,
    detail: `${changes} file(s) changed${result.handEdited.length > 0 ? `, ${result.handEdited.length} hand-edited kept aside` : ''}`,
  });
  warn(result.warnings.slice(plan.warnings.length));
  const dir = relative(process.cwd(), result.clusterDir) || '.';
  const changed = result.changes.filter((c) => c.kind !== 'unchanged');
  // the diff library is loaded only when something changed
  const diffs = changed.length > 0 ? await import('../../generator/write/check-diff.js') : undefined;
  const rows = diffs ? diffs.fileRows(result.changes) : result.changes.map((c): FileRow => ({ path: c.file.path, change: 'unchanged', added: 0, removed: 0 }));

  if (json) {
    json({
      cluster: plan.model.name,
      dir,
      files: rows,
      warnings: jsonWarnings,
      handEdited: result.handEdited.map(reportEntry),
      secrets: result.secrets,
      ...(options.check ? { check: { upToDate: changed.length === 0, notCompared: result.notCompared } } : {}),
    });
    return options.check && changed.length > 0 ? 1 : 0;
  }

  if (options.check) {
    if (result.notCompared.length > 0)
      info(`Not compared (git-ignored: they hold password hashes or private keys; gen writes them): ${result.notCompared.join(', ')}`);
    if (changed.length === 0) {
      info(`${dir}: up to date with ${source.name} (${result.changes.length} files)`);
      return 0;
    }
    process.stdout.write(diffs!.describeDrift(result.changes));
    if (result.handEdited.length > 0)
      info(`Edited by hand since gen wrote them (gen refuses to overwrite them without --force): ${result.handEdited.map((h) => h.path).join(', ')}`);
    info(`${dir}: ${changed.length} of ${result.changes.length} files differ from ${source.name}; run \`rmq-compose gen\` to update them`);
    return 1;
  }

  const count = (kind: string) => result.changes.filter((c) => c.kind === kind).length;
  const removed = count('remove') > 0 ? `, ${count('remove')} removed` : '';
  info(
    `${dir}/: ${result.changes.length - count('remove')} files (${count('create')} created, ${count('update') + count('mode')} updated, ${count('unchanged')} unchanged${removed})`,
  );
  for (const row of rows) if (row.change !== 'unchanged') info(`  ${row.change} ${row.path} ${rowCounts(row)}`);
  for (const edit of result.handEdited)
    info(`Kept your hand-edited ${dir}/${edit.path} as ${dir}/${edit.keptAs} (--force); move the change into ${source.name}, then delete it`);
  if (options.diff && diffs) process.stdout.write(diffs.describeChanges(result.changes));
  const { generated, fromSpec, fromEnvironment } = result.secrets;
  if (generated.length > 0) info(`Generated ${generated.join(', ')} into ${dir}/${ENV_FILE} (mode 0600; kept on later runs)`);
  const issued = plan.tlsIssued ?? [];
  if (issued.length > 0)
    info(`Issued TLS certificates: ${issued.join(', ')} into ${dir}/tls/ (keys mode 0600; kept on later runs; clients trust ${dir}/tls/ca.pem)`);
  if (fromSpec.length > 0) info(`Moved inline secrets ${fromSpec.join(', ')} from the spec into ${dir}/${ENV_FILE}`);
  if (fromEnvironment.length > 0) info(`Taken from the environment (export them again before deploy): ${fromEnvironment.join(', ')}`);
  info(`Next: rmq-compose deploy -d ${dir}   (how to start it by hand: ${dir}/README.md)`);
  return 0;
}

/** gen's own words for its audit line: the spec it read and the flags that change what it writes. */
function genArgv(options: GenOptions, spec: string): string[] {
  return ['-f', spec, ...(options.force ? ['--force'] : [])];
}

/** `(+3 −1)`, `(mode 755)`, `(+3 −1, mode 755)`. */
function rowCounts(row: FileRow): string {
  const lines = row.added > 0 || row.removed > 0 || row.mode === undefined ? [`+${row.added} \u2212${row.removed}`] : [];
  return `(${[...lines, ...(row.mode ? [`mode ${row.mode}`] : [])].join(', ')})`;
}

function reportEntry(h: HandEdit): GenReport['handEdited'][number] {
  const { diff: _diff, against: _against, ...rest } = h;
  return rest;
}
