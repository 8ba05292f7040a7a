/** One file the generator produces: its path inside the cluster folder and its exact bytes. */
export interface RenderedFile {
  path: string;
  contents: string;
  /** 0o755 for scripts the containers run; 0o600 for private files; 0o644 otherwise. */
  mode: number;
}

export function file(path: string, contents: string, mode = 0o644): RenderedFile {
  return { path, contents, mode };
}

/**
 * A file that holds something derived from a secret (a password hash): readable by its owner
 * only, and listed in the cluster folder's .gitignore like .env.
 */
export function privateFile(path: string, contents: string): RenderedFile {
  return { path, contents, mode: PRIVATE_MODE };
}

const PRIVATE_MODE = 0o600;

export function isPrivate(f: RenderedFile): boolean {
  return f.mode === PRIVATE_MODE;
}
