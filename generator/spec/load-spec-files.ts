import { parseBootDefinitions, type BootDefinitions } from '../definitions/parse-definitions.js';
import { loadSpec, type LoadResult } from './load-spec.js';
import { readDefinitionsFile } from './read-definitions-file.js';
import type { RuleContext } from './rules/rule.js';

export interface LoadedSpec extends LoadResult {
  /** Content of `rabbitmq.definitions`, checked; undefined when the spec names no such file. */
  definitions: BootDefinitions | undefined;
}

/**
 * loadSpec, then the files the spec names (`rabbitmq.definitions`), read from `specDir` and
 * checked: what `gen` and `validate` run at the edge, so that planning gets contents, not paths.
 */
export async function loadSpecFiles(text: string, specDir: string, context: Partial<RuleContext> = {}): Promise<LoadedSpec> {
  const loaded = loadSpec(text, context);
  const file = loaded.model?.rabbitmq.definitionsFile;
  if (!loaded.model || file === undefined) return { ...loaded, definitions: undefined };
  const read = await readDefinitionsFile(file, specDir);
  if (read.error) return { model: undefined, errors: [read.error], warnings: loaded.warnings, definitions: undefined };
  const parsed = parseBootDefinitions(read.text, file);
  if (parsed.errors.length > 0) return { model: undefined, errors: parsed.errors, warnings: loaded.warnings, definitions: undefined };
  return { ...loaded, definitions: parsed.definitions };
}
