import { allNamespacesFix } from './providers/all-namespaces';
import { allowAllCidrFix } from './providers/allow-all-cidr';
import { allowAllPeersFix } from './providers/allow-all-peers';
import { andOrPitfallFix } from './providers/and-or-pitfall';
import { egressBlocksDnsFix } from './providers/egress-blocks-dns';
import { egressToCloudMetadataFix } from './providers/egress-to-cloud-metadata';
import { missingNamespaceFix } from './providers/missing-namespace';
import { namespaceWithoutDefaultDenyFix } from './providers/namespace-without-default-deny';
import { ruleWithoutPortsFix } from './providers/rule-without-ports';
import { servicePortNotContainerPortFix } from './providers/service-port-not-container-port';
import { unknownNamespaceLabelFix } from './providers/unknown-namespace-label';
import { workloadNotIsolatedFix } from './providers/workload-not-isolated';
import type { FixProvider } from './types';

/** Every fix provider (one file each under providers/), listed here. */
export const FIX_PROVIDERS: readonly FixProvider[] = [
  missingNamespaceFix,
  ruleWithoutPortsFix,
  andOrPitfallFix,
  egressBlocksDnsFix,
  allNamespacesFix,
  allowAllCidrFix,
  egressToCloudMetadataFix,
  allowAllPeersFix,
  namespaceWithoutDefaultDenyFix,
  workloadNotIsolatedFix,
  servicePortNotContainerPortFix,
  unknownNamespaceLabelFix,
];

const byRule = new Map<string, FixProvider[]>();
for (const p of FIX_PROVIDERS) byRule.set(p.rule, [...(byRule.get(p.rule) ?? []), p]);

/** The providers of a rule (none for rules without fixes). */
export function providersFor(rule: string): readonly FixProvider[] {
  return byRule.get(rule) ?? [];
}

/** Rule ids that have at least one fix provider. */
export function fixableRules(): string[] {
  return [...byRule.keys()];
}
