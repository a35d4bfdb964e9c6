import { allNamespaces } from './all-namespaces';
import { allowAllCidr } from './allow-all-cidr';
import { allowAllPeers } from './allow-all-peers';
import { andOrPitfall } from './and-or-pitfall';
import { crossEnvironment } from './cross-environment';
import { documentSkipped } from './document-skipped';
import { documentTooLarge } from './document-too-large';
import { duplicateObject } from './duplicate-object';
import { duplicatePolicyName } from './duplicate-policy-name';
import { egressBlocksDns } from './egress-blocks-dns';
import { endportIgnored } from './endport-ignored';
import { egressToCloudMetadata } from './egress-to-cloud-metadata';
import { evidencedFlowBlocked } from './evidenced-flow-blocked';
import { exceptCarvesPods } from './except-carves-pods';
import { excessiveAliasing } from './excessive-aliasing';
import { fileTooLarge } from './file-too-large';
import { kustomizeBuildError } from './kustomize-build-error';
import { kustomizeNotModelled } from './kustomize-not-modelled';
import { helmTemplateSkipped } from './helm-template-skipped';
import { ipblockCoversPods } from './ipblock-covers-pods';
import { ingressControllerBlocked } from './ingress-controller-blocked';
import { missingNamespace } from './missing-namespace';
import { namedPortNotFound } from './named-port-not-found';
import { namespaceWithoutDefaultDeny } from './namespace-without-default-deny';
import { nestingTooDeep } from './nesting-too-deep';
import { ruleFailed } from './rule-failed';
import { ruleWithoutPorts } from './rule-without-ports';
import { selectorMatchesNothing } from './selector-matches-nothing';
import { sctpUnsupported } from './sctp-unsupported';
import { selectsHostNetwork } from './selects-host-network';
import { servicePortNotContainerPort } from './service-port-not-container-port';
import { shadowedRule } from './shadowed-rule';
import { overriddenByAdminTier } from './overridden-by-admin-tier';
import { shadowedAdminRule } from './shadowed-admin-rule';
import { equalPriorityConflict } from './equal-priority-conflict';
import { passWithNothingBelow } from './pass-with-nothing-below';
import { mixedClusterPolicyApis } from './mixed-cluster-policy-apis';
import { baselineContradictsNetworkPolicy } from './baseline-contradicts-network-policy';
import { tooManyDocuments } from './too-many-documents';
import { unknownNamespaceLabel } from './unknown-namespace-label';
import { workloadNotIsolated } from './workload-not-isolated';
import { yamlSyntax } from './yaml-syntax';
import { VALIDATION_RULES } from '../validate/catalog';
import type { WorkspaceRule } from './types';

/**
 * The rules runRules runs, in reporting order: every rule but the change rules (those
 * judge an edit: impact/rules). core/catalog.ts lists them all.
 */
export const WORKSPACE_RULES: readonly WorkspaceRule[] = [
  // What could not be read: YAML errors, files and documents past a bound, failures of ours
  // (docs/limits-and-safety.md).
  yamlSyntax,
  fileTooLarge,
  excessiveAliasing,
  nestingTooDeep,
  documentTooLarge,
  tooManyDocuments,
  documentSkipped,
  helmTemplateSkipped,
  ruleFailed,
  // What the workspace's kustomizations do beyond the editor's subset, or what kustomize would refuse.
  kustomizeBuildError,
  kustomizeNotModelled,
  // What the API server rejects, policy by policy (validate/).
  ...VALIDATION_RULES,
  // Isolation and overly broad rules.
  namespaceWithoutDefaultDeny,
  workloadNotIsolated,
  allowAllPeers,
  allNamespaces,
  allowAllCidr,
  egressToCloudMetadata,
  ipblockCoversPods,
  exceptCarvesPods,
  ruleWithoutPorts,
  andOrPitfall,
  selectorMatchesNothing,
  unknownNamespaceLabel,
  egressBlocksDns,
  // The cluster-level tiers.
  overriddenByAdminTier,
  shadowedAdminRule,
  equalPriorityConflict,
  passWithNothingBelow,
  baselineContradictsNetworkPolicy,
  mixedClusterPolicyApis,
  // Ports, Services, Ingresses, environments and policy hygiene.
  namedPortNotFound,
  endportIgnored,
  sctpUnsupported,
  servicePortNotContainerPort,
  ingressControllerBlocked,
  evidencedFlowBlocked,
  crossEnvironment,
  missingNamespace,
  selectsHostNetwork,
  duplicatePolicyName,
  duplicateObject,
  shadowedRule,
];

export function ruleById(id: string): WorkspaceRule | undefined {
  return WORKSPACE_RULES.find((r) => r.meta.id === id);
}
