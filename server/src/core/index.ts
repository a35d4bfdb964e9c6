/**
 * The core's API: everything the language server (lsp/), the CLI (cli/) and the file
 * system adapters (node/) use of the analysis comes through this file, and no file
 * outside core/ imports any other core path (test/architecture.test.ts). Inside, the
 * layers are in docs/architecture.md.
 */

// The host and its snapshots.
export { analyzeOnce, Snapshot, Workspace, type FileChange, type WorkspaceOptions } from './workspace';

// Configuration: one type, one table of defaults; each surface maps its input onto it.
export { DEFAULTS, type NetpolConfig } from './analysis/config';
export { CONFIG_FILE_NAME, mergeConfig, parseConfigFile, type ConfigFile } from './analysis/config-file';
export { DEFAULT_INGRESS_CONTROLLER, type IngressControllerOptions } from './k8s/cluster';
export type { HostNetworkMode } from './reach/compile';
export { CNI_NAMES, isCniName, cniProfile, allCniProfiles, type CniName, type CniProfile } from './k8s/cni';

// The rule catalog and what rules produce.
export { RULES } from './catalog';
export type { Finding, RuleMeta, Severity } from './lint/rule';
export type { Fix } from './lint/fix';
export { ruleDocsUrl } from './lint/docs-url';

// Kustomize: the in-process subset (node/kustomize-render.ts reads kustomizations before it runs kustomize).
export {
  isRemoteFile, KUSTOMIZATION_FILE_NAMES, parseKustomization, remoteNamedFiles, remoteReference, resolveKustomizations, scanPluginConfig,
  type KustomizeInputFile, type KustomizeResolution, type SourceObject,
} from './manifest/kustomize';

// Files, text and edits.
export type { SourceFile } from './manifest/types';
export { LineIndex, type Position, type Span } from './base/span';
export { applyEdits, isCreateFile, type CreateFile, type FileEdit, type TextEdit } from './base/edits';
export { dict, dictOf } from './base/own';
export { textLine } from './base/escape';
export { PROTOCOLS, type ConnSet, type Protocol } from './base/ports';

// The analysis of one state: the data the surfaces turn into their own forms.
export type { Analysis } from './analysis/analyze';
export type { Workload } from './model/types';
export { allConnections, endpointName, workloadConnections, workloadId, type Connection, type Endpoint } from './reach/connections';
export { connectionIndex } from './reach/lookups';
export { explainConnection, type ExplainEndpoint, type Explanation, type SideExplanation } from './reach/explain';
export { endpointLabel, findEndpoint, type EndpointLookup } from './ide/explain';

// Editor features' results.
export type { CompletionItem, CompletionKind } from './ide/complete/item';
export { complete } from './ide/complete/complete';
export { expandSnippet } from './ide/snippets/expand';
export type { HoverResult, SourceLocation } from './ide/hover/hover';
export type { CodeLensInfo } from './ide/lenses';
export type { FixAllResult } from './fixes/fix-all';
export { impactLenses, summarizeImpact, type ImpactSummary } from './ide/change-impact';
export type { ImpactState } from './impact/baselines';

// Change impact between two analyses (netpol diff).
export { changeImpact, type ImpactOptions } from './impact/impact';
export { policyKey } from './impact/changes';
export { clusterPolicyKey } from './impact/cluster-attribution';
export type { ClusterResponsible, Responsible, ResponsibleRole } from './impact/types';

// Output formats.
export { CONNLIST_FORMATS, formatConnlist, formatRows, type ConnlistFormat, type Row } from './ide/formats/connlist';
export { DIFF_FORMATS, diffEntryJson, evidenceJson, formatBrokenEvidence, formatDiff, type DiffFormat } from './ide/formats/diff';
export { coveredByEntries, evidenceBrokenBy, type BrokenEvidence, type EvidenceMark } from './impact/evidence';
export { formatFindingsText, formatSarif, locateFindings, locateSuppressed, SEVERITY_ORDER, type LocatedFinding, type SarifRuleInfo } from './ide/formats/findings';
export { SUPPRESSION_ANNOTATION, type SuppressedFinding } from './lint/suppressions';
export { explanationJson } from './ide/formats/explain-json';
export { formatExplanationText } from './ide/formats/explain-text';
export { explainAcrossProfiles, type ProfileGroup } from './ide/explain-profiles';
export { formatRuleTable } from './ide/formats/rule-table';
export { formatEvidenceText, lineLocator, locateEvidence, type LocatedFlow, type LocatedNote } from './ide/formats/evidence';

export { formatExpectations, type ExpectationsFormat } from './ide/formats/expectations';

// Expectations: the flows a repository says must be allowed or denied (netpol test).
export { EXPECT_FILE_NAME, parseExpectationsFile, type Expectation, type ExpectationsFile, type ExpectationsProblem } from './analysis/expect-file';
export { checkExpectations, type ExpectationFailure, type ExpectationResult, type ExpectationsReport } from './analysis/expect-check';

// Evidence: the flows the manifests show an application needs.
export type { Evidence, EvidencedFlow, EvidenceKind, EvidenceNote, FlowEnd } from './evidence/types';
// Generation: least-privilege policies from the evidence.
export { EVIDENCE_ANNOTATION, generatedStream, generatePolicies, type GeneratedFile, type GeneratedPolicy, type GenerateNote, type GenerateOptions, type GenerateResult } from './generate/generate';
