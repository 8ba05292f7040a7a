import { SpecError } from '../lib/errors.js';
import { formatFinding, type Finding } from '../lib/findings.js';
import { bootDefinitionsFile, type BootDefinitionsRender } from './definitions/boot-definitions.js';
import { DEFINITIONS_SPEC_PATH, parseBootDefinitions, type BootDefinitions } from './definitions/parse-definitions.js';
import { loadSpec } from './spec/load-spec.js';
import type { ClusterModel } from './spec/model.js';
import { privateComposePaths, renderCluster } from './render/render-cluster.js';
import type { RenderedFile } from './render/rendered-file.js';
import type { TlsMaterial } from './tls/tls-material.js';

export interface ClusterPlan {
  model: ClusterModel;
  files: RenderedFile[];
  warnings: Finding[];
  /**
   * The .env variables whose values are baked into private files (the default user's, hashed
   * into definitions.json): those files are right only with the values the plan was made with.
   */
  privateInputs: string[];
  /** What gen issued this run (CA, node names, "load balancer"); set by generator/generate.ts. */
  tlsIssued?: string[];
}

/** What a plan needs besides the spec text; read or resolved by the caller (generator/generate.ts). */
export interface PlanInputs {
  /** Text of the spec's `rabbitmq.definitions` file. */
  definitionsText?: string;
  /** Value of each .env variable as Compose will see it (write/secret-state.ts); only definitions need any. */
  secretValues?: ReadonlyMap<string, string>;
  /**
   * Where the spec file is, as seen from the cluster folder (which is named after the cluster):
   * recorded in the manifest so `upgrade` can edit the spec and generate again. Omitted for a
   * spec that is not the user's file (the bundled seed).
   */
  specFileFrom?: (clusterName: string) => string;
  /** The certificates, when the spec has `tls:` (prepared by generator/tls/prepare-tls.ts). */
  tls?: TlsMaterial;
}

/** Spec text → every file of the cluster, or a SpecError listing each problem. No I/O. */
export function planCluster(specText: string, specName: string, inputs: PlanInputs = {}): ClusterPlan {
  const { model, errors, warnings } = loadSpec(specText);
  if (!model || errors.length > 0) throw new SpecError(errors.map(formatFinding), specName);
  let definitions: BootDefinitions | undefined;
  const file = model.rabbitmq.definitionsFile;
  if (file !== undefined) {
    if (inputs.definitionsText === undefined) throw new SpecError([`${DEFINITIONS_SPEC_PATH}: ${file} was not read; gen reads it beside the spec`], specName);
    const parsed = parseBootDefinitions(inputs.definitionsText, file);
    if (parsed.errors.length > 0) throw new SpecError(parsed.errors.map(formatFinding), specName);
    definitions = parsed.definitions;
  }
  return planLoaded({ model, warnings, definitions }, specName, inputs.secretValues ?? new Map(), inputs.specFileFrom, inputs.tls);
}

/** A loaded, checked spec (spec/load-spec-files.ts) → every file of the cluster. No I/O. */
export function planLoaded(
  loaded: { model: ClusterModel; warnings: Finding[]; definitions: BootDefinitions | undefined },
  specName: string,
  secretValues: ReadonlyMap<string, string>,
  specFileFrom?: PlanInputs['specFileFrom'],
  tls?: TlsMaterial,
): ClusterPlan {
  const { model, definitions } = loaded;
  const warnings = [...loaded.warnings];
  let render: BootDefinitionsRender | undefined;
  if (definitions) {
    const boot = bootDefinitionsFile(model, definitions, secretValues);
    if (boot.errors.length > 0) throw new SpecError(boot.errors.map(formatFinding), specName);
    render = boot.render;
    warnings.push(...boot.warnings);
  }
  if (model.tls && !tls) throw new SpecError([`${model.tls.path}: the certificates were not prepared; gen reads or issues them before planning`], specName);
  const files = renderCluster(model, specName, { definitions: render, specFile: specFileFrom?.(model.name), tls });
  const privateCompose = privateComposePaths(files);
  if (privateCompose.length > 0) {
    const carried = [...(definitions ? ['definitions.json (password hashes)'] : []), ...(model.tls ? ['TLS private keys'] : [])].join(' and ');
    warnings.push({
      path: definitions ? DEFINITIONS_SPEC_PATH : (model.tls?.path ?? ''),
      message: `${privateCompose.join(', ')} carry ${carried} inline for machines reached through docker:, so they are written mode 0600 and git-ignored like ${definitions && !model.tls ? 'it' : 'them'}; keep copies of them private too`,
    });
  }
  const r = model.rabbitmq;
  const privateInputs = definitions ? [r.defaultPass.variable, ...(r.defaultUser.kind === 'plain' ? [] : [r.defaultUser.variable])] : [];
  return { model, files, warnings, privateInputs };
}
