import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Command, Option } from 'commander';
import { BACKUPS_DIR, MANIFEST_FILE } from '../contract/cluster-files.js';
import { parseManifest } from '../contract/manifest.js';
import { CATALOG, type ActionName, type CatalogEntry, type CatalogOption } from '../ops/catalog.js';
import { COMPLETE_COMMAND, type Shell } from './completion-words.js';

/**
 * Shell completion. The scripts `rmq-compose completion bash|zsh` print hold no command list:
 * they ask `rmq-compose __complete <words…>` at every Tab, so what is offered is always this
 * version's commands and flags (read from the commander tree and the catalog) and this
 * cluster's nodes (read from its manifest, without loading the operations core).
 *
 * `__complete` gets the words after the program name up to the one being completed (possibly
 * ""), and prints the candidates that start with it, one a line; a last line `:files` or
 * `:dirs` asks the shell to add file or folder names.
 */

export interface Completion {
  candidates: string[];
  /** Also offer the shell's own file or folder names. */
  paths?: 'files' | 'dirs';
}

/** What completes an option's value or a positional argument. */
type Slot = 'node' | 'backup' | 'clusters' | 'files' | 'dirs' | readonly string[];

/**
 * Each action's positional arguments (the option values are in the catalog): keyed by every
 * action name, so a new action is a type error until it says what its arguments are.
 */
const POSITIONALS: { [K in ActionName]: (given: readonly string[]) => Slot | undefined } = {
  status: () => undefined,
  check: () => undefined,
  deploy: () => undefined,
  join: nodeFirst,
  'mirror-policy': (given) => (given.length === 0 ? ['list', 'set', 'clear'] : given[0] === 'set' && given.length === 3 ? ['all', 'exactly'] : undefined),
  restart: nodeFirst,
  drain: nodeFirst,
  revive: nodeFirst,
  forget: nodeFirst,
  // queue names live in the broker: asking it is not a thing a Tab should do
  sync: () => undefined,
  rebalance: () => undefined,
  partitions: () => undefined,
  logs: nodeFirst,
  backup: () => undefined,
  restore: (given) => (given.length === 0 ? 'backup' : undefined),
  upgrade: () => undefined,
  migrate: (given) => (given.length === 0 ? ['rollback', 'retire'] : undefined),
  'rotate-certs': () => undefined,
  unlock: () => undefined,
};

function nodeFirst(given: readonly string[]): Slot | undefined {
  return given.length === 0 ? 'node' : undefined;
}

interface OptionInfo {
  names: string[];
  takesValue: boolean;
  slot: Slot | undefined;
  /** Offered when the word being completed starts with "-" (not hidden). */
  offered: boolean;
}

/** The candidates for `words` (after the program name; the last is the word being completed). */
export function complete(program: Command, words: readonly string[], cwd = process.cwd()): Completion {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const help = program.createHelp();
  if (before.length === 0) {
    if (current.startsWith('-')) return matching(optionNames(help.visibleOptions(program)), current);
    return matching(
      help.visibleCommands(program).map((c) => c.name()),
      current,
    );
  }
  const name = before[0]!;
  if (name === 'help')
    return before.length === 1
      ? matching(
          help
            .visibleCommands(program)
            .map((c) => c.name())
            .filter((n) => n !== 'help'),
          current,
        )
      : none();
  const command = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
  if (!command || name === COMPLETE_COMMAND) return none();
  const action: CatalogEntry | undefined = Object.hasOwn(CATALOG, name) ? CATALOG[name as ActionName] : undefined;
  const options = optionsOf(command, action?.options ?? []);

  // walk the words typed so far: positionals, and the values of options that take one
  const positionals: string[] = [];
  const given: Record<string, string> = {};
  const used = new Set<string>();
  let pending: OptionInfo | undefined;
  for (const word of before.slice(1)) {
    if (pending) {
      given[pending.names.at(-1)!] = word;
      pending = undefined;
      continue;
    }
    if (word.startsWith('-') && word !== '-' && word !== '--') {
      const [flag, inline] = splitOnce(word, '=');
      const option = options.find((o) => o.names.includes(flag));
      if (!option) continue;
      option.names.forEach((n) => used.add(n));
      if (option.takesValue && inline === undefined) pending = option;
      else if (inline !== undefined) given[option.names.at(-1)!] = inline;
      continue;
    }
    positionals.push(word);
  }
  const dir = () => clusterDir(given['--dir'], cwd);
  if (pending) return slotCandidates(pending.slot, current, { dir, cwd, positionals });
  if (current.startsWith('-')) {
    const open = options.filter((o) => o.offered && !o.names.some((n) => used.has(n)));
    return matching(
      open.flatMap((o) => o.names.filter((n) => n.startsWith('--') || current.length <= 2)),
      current,
    );
  }
  if (!action) return matching([...(command.registeredArguments[positionals.length]?.argChoices ?? [])], current);
  return slotCandidates(POSITIONALS[action.name as ActionName](positionals), current, { dir, cwd, positionals });
}

/** The command's options as commander knows them (hidden ones too, to walk past them), and the action's own. */
function optionsOf(command: Command, actionOptions: readonly CatalogOption[]): OptionInfo[] {
  const help = command.createHelp();
  const visible = new Set(help.visibleOptions(command).map((o) => o.flags));
  const registered = [...command.options, ...help.visibleOptions(command).filter((o) => !command.options.includes(o))];
  return registered.map((o: Option) => {
    const own = actionOptions.find((a) => a.flags === o.flags);
    const names = [o.short, o.long].filter((n): n is string => n !== undefined);
    return { names, takesValue: o.required || o.optional, slot: own ? own.values : valueSlot(command, o), offered: visible.has(o.flags) };
  });
}

/** What a commander option's value is, by its name and placeholder: a cluster folder, a folder, a file. */
function valueSlot(command: Command, option: Option): Slot | undefined {
  if (!(option.required || option.optional)) return undefined;
  if (option.long === '--dir' && Object.hasOwn(CATALOG, command.name())) return 'clusters';
  const placeholder = /<([^>]+)>/.exec(option.flags)?.[1] ?? '';
  if (/dir|folder/i.test(placeholder)) return 'dirs';
  if (/file|spec|config|output/i.test(placeholder)) return 'files';
  return undefined;
}

/** Where a slot's candidates come from: the cluster folder (read only when needed), the words so far. */
interface SlotContext {
  dir: () => string | undefined;
  cwd: string;
  positionals: readonly string[];
}

function slotCandidates(slot: Slot | undefined, current: string, { dir, cwd, positionals }: SlotContext): Completion {
  if (slot === undefined) return none();
  if (typeof slot !== 'string') return matching([...slot], current);
  switch (slot) {
    case 'files':
    case 'dirs':
      return { candidates: [], paths: slot };
    case 'clusters':
      return { ...matching(clusterFolders(cwd), current), paths: 'dirs' };
    case 'node': {
      const d = dir();
      // a node already named (join's own node for --to) is not offered again
      return matching(d ? nodeNames(d).filter((n) => !positionals.includes(n)) : [], current);
    }
    case 'backup': {
      const d = dir();
      return matching(d ? [...backupNames(d), 'latest'] : [], current);
    }
  }
}

/** -d as given, else the only generated cluster under ./compose/ (as cli/cluster-dir.ts picks it). */
function clusterDir(given: string | undefined, cwd: string): string | undefined {
  if (given !== undefined) return isAbsolute(given) ? given : join(cwd, given);
  const clusters = clusterFolders(cwd);
  return clusters.length === 1 ? join(cwd, clusters[0]!) : undefined;
}

/** compose/<name> for each folder under ./compose/ that holds a manifest. */
function clusterFolders(cwd: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(cwd, 'compose')).sort();
  } catch {
    return [];
  }
  return entries.filter((e) => isFile(join(cwd, 'compose', e, MANIFEST_FILE))).map((e) => `compose/${e}`);
}

/** The cluster's node names (the spelling every action documents), from a valid manifest only. */
function nodeNames(dir: string): string[] {
  try {
    const parsed = parseManifest(JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')));
    return parsed.ok ? parsed.manifest.nodes.map((n) => n.name) : [];
  } catch {
    return [];
  }
}

/** The backup files restore takes (newest last, as `latest` picks). */
function backupNames(dir: string): string[] {
  try {
    return readdirSync(join(dir, BACKUPS_DIR))
      .filter((n) => /^definitions-[0-9TZ]+\.json$/.test(n))
      .sort();
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function optionNames(options: readonly Option[]): string[] {
  return options.flatMap((o) => [o.short, o.long].filter((n): n is string => n !== undefined));
}

function matching(candidates: string[], current: string): Completion {
  return { candidates: [...new Set(candidates.filter((c) => c.startsWith(current)))] };
}

function none(): Completion {
  return { candidates: [] };
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** `__complete`'s answer as the scripts read it. */
export function formatCompletion(c: Completion): string {
  return [...c.candidates, ...(c.paths ? [`:${c.paths}`] : [])].map((l) => `${l}\n`).join('');
}

/** The script for `shell`; it calls `<the command as typed> __complete` for every candidate list. */
export function completionScript(shell: Shell): string {
  return shell === 'bash' ? BASH : ZSH;
}

// bash 3.2 (macOS) and later: no mapfile, compopt only where it exists
const BASH = `# rmq-compose completion for bash. Load it in ~/.bashrc:
#   source <(rmq-compose completion bash)
# Candidates come from \`rmq-compose ${COMPLETE_COMMAND}\` at each Tab (commands, flags, node names).
_rmq_compose() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" line paths=""
  COMPREPLY=()
  while IFS= read -r line; do
    case "$line" in
      :files) paths=files ;;
      :dirs) paths=dirs ;;
      ?*) COMPREPLY+=("$line") ;;
    esac
  done < <("\${COMP_WORDS[0]}" ${COMPLETE_COMMAND} "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)
  if [ -n "$paths" ]; then
    compopt -o filenames 2>/dev/null
    while IFS= read -r line; do
      COMPREPLY+=("$line")
    done < <(if [ "$paths" = dirs ]; then compgen -d -- "$cur"; else compgen -f -- "$cur"; fi)
  fi
  return 0
}
complete -F _rmq_compose rmq-compose
`;

const ZSH = `#compdef rmq-compose
# rmq-compose completion for zsh. Load it in ~/.zshrc after compinit:
#   source <(rmq-compose completion zsh)
# or save it as _rmq-compose in a folder on $fpath.
# Candidates come from \`rmq-compose ${COMPLETE_COMMAND}\` at each Tab (commands, flags, node names).
_rmq-compose() {
  local line paths
  local -a candidates
  for line in "\${(@f)$("\${words[1]}" ${COMPLETE_COMMAND} "\${(@)words[2,CURRENT]}" 2>/dev/null)}"; do
    case "$line" in
      :files) paths=files ;;
      :dirs) paths=dirs ;;
      ?*) candidates+=("$line") ;;
    esac
  done
  (( \${#candidates} )) && compadd -- "\${candidates[@]}"
  case "$paths" in
    files) _files ;;
    dirs) _files -/ ;;
  esac
  return 0
}
if [ "$funcstack[1]" = "_rmq-compose" ]; then
  _rmq-compose "$@"
else
  compdef _rmq-compose rmq-compose
fi
`;
