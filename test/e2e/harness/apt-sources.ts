import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The machine's own Debian archive, read from its apt sources at run time: the harness fetches
 * other suites (trixie) from the same place the machine already uses and trusts, and no mirror
 * name is ever written into the repository.
 */
export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  signedBy?: string;
}

export interface DebianArchive {
  uri: string;
  /** Keyring file that signs this archive. */
  keyring: string;
}

const DEFAULT_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

export function readAptSources(etcApt = '/etc/apt'): AptSource[] {
  const sources: AptSource[] = [];
  const listFile = join(etcApt, 'sources.list');
  if (existsSync(listFile)) sources.push(...parseOneLine(readFileSync(listFile, 'utf8')));
  const partsDir = join(etcApt, 'sources.list.d');
  const parts = existsSync(partsDir) ? readdirSync(partsDir).sort() : [];
  for (const name of parts) {
    const text = readFileSync(join(partsDir, name), 'utf8');
    if (name.endsWith('.sources')) sources.push(...parseDeb822(text));
    else if (name.endsWith('.list')) sources.push(...parseOneLine(text));
  }
  return sources.filter((s) => s.types.includes('deb') && s.uris.length > 0);
}

/** Deb822 stanzas: "Key: value" fields, continuation lines start with white space. */
export function parseDeb822(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let last: string | undefined;
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue;
      const cont = /^\s/.test(line);
      if (cont && last) {
        fields.set(last, `${fields.get(last)}\n${line.trim()}`);
        continue;
      }
      const match = /^([\w-]+):\s*(.*)$/.exec(line);
      if (!match) continue;
      last = match[1]!.toLowerCase();
      fields.set(last, match[2]!.trim());
    }
    if (/^(no|false)$/i.test(fields.get('enabled') ?? '')) continue;
    const words = (key: string) => (fields.get(key) ?? '').split(/\s+/).filter(Boolean);
    const signedBy = fields.get('signed-by');
    out.push({
      types: words('types'),
      uris: words('uris'),
      suites: words('suites'),
      components: words('components'),
      // an inline key block cannot be passed on as a path: fall back to the default keyring
      signedBy: signedBy && signedBy.startsWith('/') && !signedBy.includes('\n') ? signedBy : undefined,
    });
  }
  return out;
}

/** `deb [opt=val ...] uri suite component...` lines. */
export function parseOneLine(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const match = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const options = new Map(
      (match[2] ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((o) => o.split('=') as [string, string]),
    );
    out.push({
      types: [match[1]!],
      uris: [match[3]!],
      suites: [match[4]!],
      components: match[5]!.split(/\s+/).filter(Boolean),
      signedBy: options.get('signed-by'),
    });
  }
  return out;
}

/**
 * The entry serving the main release suite (not -security, -updates or a third-party repo):
 * that archive also carries every other Debian release under its own suite name.
 */
export function debianArchive(sources: AptSource[] = readAptSources()): DebianArchive {
  const isRelease = (suite: string) => /^[a-z]+$/.test(suite) && !['stable', 'testing', 'unstable'].includes(suite);
  const candidate =
    sources.find((s) => s.components.includes('main') && s.suites.some(isRelease) && !s.uris[0]!.includes('security')) ??
    sources.find((s) => s.components.includes('main') && !s.uris[0]!.includes('security'));
  if (!candidate) {
    throw new Error('no Debian archive with component "main" in the apt sources (/etc/apt/sources.list{,.d}); add one to build test images');
  }
  const keyring = candidate.signedBy ?? DEFAULT_KEYRING;
  if (!existsSync(keyring)) throw new Error(`the Debian archive keyring ${keyring} is missing: apt-get install debian-archive-keyring`);
  return { uri: candidate.uris[0]!.replace(/\/+$/, ''), keyring };
}
