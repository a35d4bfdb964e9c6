/**
 * The in-process kustomize subset (see resolve.ts for the rules, docs/semantics.md
 * "Kustomize" for what is and is not modelled). Pure: it takes the workspace's files and
 * imports only the `yaml` package.
 */
export { resolveKustomizations, variantsOf, kustomizationDir, type ResolveOptions } from './resolve';
export { applyEdits, entriesAddedAt, valueSetAt } from './view';
export { KustomizeParseCache, type DocumentSource } from './objects';
export { parseKustomization, remoteNamedFiles, scanPluginConfig, notModelledMessage, KUSTOMIZATION_FILE_NAMES, type Kustomization, type KustomizationReference, type NamedFile } from './kustomization';
export { remoteReference, isRemoteFile, type RemoteKind } from './remote';
export { isClusterScoped } from './fieldspecs';
export type * from './types';
