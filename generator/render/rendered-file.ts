/** One file the generator produces: its path inside the cluster folder and its exact bytes. */
export interface RenderedFile {
  path: string;
  contents: string;
  /** 0o755 for scripts the containers run; 0o644 otherwise. */
  mode: number;
}

export function file(path: string, contents: string, mode = 0o644): RenderedFile {
  return { path, contents, mode };
}
