import type { LabelSelector, Labels, Model } from '../../model/types';
import { selectorMatches } from '../../reach/selectors';
import { formatLabels, summarize } from './isolation';

/**
 * What the manifests show of pods that no pod template here makes, for a selector that
 * matches no workload of its namespace: the policy may be for pods an operator or a
 * controller makes (or labels) at run time. Two kinds of evidence, each from other
 * manifests than the policy (longhorn's bundle: five policies for pods longhorn-manager
 * makes and labels itself):
 * - a Service or a PodDisruptionBudget of the namespace selects the same pods, and no
 *   workload carries its selector either: two manifests agree on labels only run time gives
 *   (OLM's packageserver-pdb beside its packageserver policy);
 * - a label key of the selector is under the prefix of an API group whose
 *   CustomResourceDefinitions the workspace installs: that group's operator runs, and
 *   labels the pods it makes under its own prefix (`longhorn.io/component`);
 * - the namespace holds Services that manifests here call, route to or scrape, and none
 *   declares (Model.undeclaredServices): a chart a script installs (k8s-security-demos'
 *   MongoDB, called as `mongodb://mongodb`), an operator's operands (the image registry a
 *   ServiceMonitor scrapes): their pods are in the namespace and not in the workspace.
 * Undefined when none holds. The text is a sentence for the finding's message.
 */
export function runTimePods(model: Model, namespace: string, selector: LabelSelector, matchesWorkload: (sel: LabelSelector) => boolean): string | undefined {
  // Services and PodDisruptionBudgets of the namespace whose pods no template makes.
  const named: { what: string; labels: Labels }[] = [];
  for (const s of model.services) if (s.namespace === namespace && s.selector !== undefined) named.push({ what: `Service ${s.namespace}/${s.name}`, labels: s.selector });
  for (const b of model.disruptionBudgets) if (b.namespace === namespace) named.push({ what: `PodDisruptionBudget ${b.namespace}/${b.name}`, labels: b.labels });
  const others = named.filter((o) => Object.keys(o.labels).length > 0 && selectorMatches(selector, o.labels) && !matchesWorkload(selectorOfLabels(o.labels)));
  if (others.length > 0) {
    const one = others.length === 1;
    return (
      `${summarize(others.map((o) => `${o.what} (${formatLabels(o.labels)})`), 3)} select${one ? 's' : ''} the same pods, ` +
      `and no pod template here carries ${one ? 'its' : 'their'} labels either: such pods are made or labelled at run time (by an operator or a controller this analysis does not see). ` +
      `If they are the pods this policy is for, it applies to them; otherwise make the policy (and the ${one ? others[0].what.split(' ')[0] : 'others'}) match the labels of the pod template.`
    );
  }
  const groups = operatorGroupsOf(model.operatorGroups, selector);
  if (groups.length > 0) {
    const [key, group, kinds] = groups[0];
    return (
      `The label ${key} is under the prefix of API group ${group}, whose CustomResourceDefinitions this workspace installs (${summarize([...kinds], 3)}): ` +
      `that group's operator labels the pods it makes so, at run time, and this analysis does not see them. ` +
      'If they are the pods this policy is for, it applies to them; otherwise make it match the labels of the pod template.'
    );
  }
  const undeclared = model.undeclaredServices.get(namespace);
  if (undeclared && undeclared.length > 0) {
    return (
      `Namespace ${namespace} holds Services that manifests here refer to and none declares: ${summarize(undeclared, 2)}. ` +
      'They and their pods are deployed another way (a chart, a script, an operator), and this analysis does not see them. ' +
      'If those are the pods this policy is for, it applies to them; otherwise make it match the labels of the pod template.'
    );
  }
  return undefined;
}

function selectorOfLabels(labels: Labels): LabelSelector {
  return { matchLabels: labels, matchExpressions: [], valid: true };
}

/**
 * Label prefixes every project uses (`app.kubernetes.io/name`, `kubernetes.io/os`): they
 * say nothing of an operator.
 */
function sharedPrefix(prefix: string): boolean {
  return prefix === 'kubernetes.io' || prefix.endsWith('.kubernetes.io') || prefix === 'k8s.io' || prefix.endsWith('.k8s.io');
}

/** The selector's label keys (required ones: matchLabels, In, Exists) whose prefix is an operator group's, or its parent or child domain. */
function operatorGroupsOf(operatorGroups: ReadonlyMap<string, readonly string[]>, selector: LabelSelector): [string, string, readonly string[]][] {
  if (operatorGroups.size === 0) return [];
  const keys = [...Object.keys(selector.matchLabels), ...selector.matchExpressions.filter((e) => e.operator === 'In' || e.operator === 'Exists').map((e) => e.key)];
  const out: [string, string, readonly string[]][] = [];
  for (const key of keys) {
    const slash = key.indexOf('/');
    if (slash <= 0) continue;
    const prefix = key.slice(0, slash);
    if (sharedPrefix(prefix)) continue;
    for (const [group, kinds] of operatorGroups) {
      if (group === prefix || group.endsWith(`.${prefix}`) || prefix.endsWith(`.${group}`)) out.push([key, group, kinds]);
    }
  }
  return out;
}
