import { allNamespaces } from './all-namespaces';
import { allowAllCidr } from './allow-all-cidr';
import { allowAllPeers } from './allow-all-peers';
import { andOrPitfall } from './and-or-pitfall';
import { egressBlocksDns } from './egress-blocks-dns';
import { egressToCloudMetadata } from './egress-to-cloud-metadata';
import { namespaceWithoutDefaultDeny } from './namespace-without-default-deny';
import { ruleWithoutPorts } from './rule-without-ports';
import { selectorMatchesNothing } from './selector-matches-nothing';
import { unknownNamespaceLabel } from './unknown-namespace-label';
import { workloadNotIsolated } from './workload-not-isolated';
import type { WorkspaceRule } from '../types';

/** Segmentation rules about isolation and overly broad rules (one file per rule, listed here). */
export const ISOLATION_RULES: readonly WorkspaceRule[] = [
  namespaceWithoutDefaultDeny,
  workloadNotIsolated,
  allowAllPeers,
  allNamespaces,
  allowAllCidr,
  egressToCloudMetadata,
  ruleWithoutPorts,
  andOrPitfall,
  selectorMatchesNothing,
  unknownNamespaceLabel,
  egressBlocksDns,
];
