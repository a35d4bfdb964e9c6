import type { Protocol } from '../base/ports';
import { allCniProfiles, type CniName } from '../k8s/cni';
import type { Analysis } from '../analysis/analyze';
import { Reachability } from '../reach/engine';
import { explainConnection, type ExplainEndpoint, type Explanation } from '../reach/explain';

/** Profiles that give one connection the same verdict, with the explanation under the first of them. */
export interface ProfileGroup {
  readonly profiles: readonly CniName[];
  readonly explanation: Explanation;
}

/**
 * One connection under every CNI profile (`netpol explain --cni all`): the workspace's
 * model analysed again per profile (same workloads, same endpoints), the profiles grouped
 * by what they allow, in the profiles' order.
 */
export function explainAcrossProfiles(
  analysis: Analysis,
  from: ExplainEndpoint,
  to: ExplainEndpoint,
  query?: { port: number; protocol: Protocol },
): ProfileGroup[] {
  const groups = new Map<string, { profiles: CniName[]; explanation: Explanation }>();
  for (const profile of allCniProfiles()) {
    const reach = profile.name === (analysis.reach.options.cni ?? 'default') ? analysis.reach : new Reachability(analysis.model, { ...analysis.reach.options, cni: profile.name });
    const explanation = explainConnection(reach, from, to, query);
    const key = `${explanation.verdict ?? ''}|${explanation.allowed.toString()}`;
    const group = groups.get(key);
    if (group) group.profiles.push(profile.name);
    else groups.set(key, { profiles: [profile.name], explanation });
  }
  return [...groups.values()];
}
