import { isEmptySelector } from '../../reach/selectors';
import { asMap, asSeq, dnsEgressRule, fix, freePolicyName, pairOf, policyOf } from '../support';
import type { Fix, FixProvider } from '../types';
import type { YValue } from '../../yaml/edit';

/**
 * Adds the egress rule to the cluster DNS (UDP and TCP 53 to the DNS pods, per the
 * rule options). A namespace's default-deny egress policy stays a deny: for it, the
 * preferred fix is a separate allow-dns policy beside it.
 */
export const egressBlocksDnsFix: FixProvider = {
  rule: 'egress-blocks-dns',
  fixesFor(_finding, ctx) {
    const found = policyOf(ctx);
    const spec = asMap(pairOf(ctx.object.map, 'spec')?.value);
    if (!found || !spec || spec.flow) return [];
    const { policy } = found;
    const e = ctx.editor;
    const rule = dnsEgressRule(ctx);
    const { dns } = ctx.options;
    const where = `${Object.entries(dns.labels).map(([k, v]) => `${k}=${v}`).join(', ')} in ${dns.namespace}`;
    const egressPair = pairOf(spec, 'egress');
    const rules = asSeq(egressPair?.value);
    const hasRules = rules !== undefined && rules.items.length > 0;
    const add = hasRules ? e.appendItems(rules, [rule]) : egressPair ? e.replacePair(spec, egressPair, [rule]) : e.insertPairs(spec, { egress: [rule] });
    const defaultDeny = !hasRules && isEmptySelector(policy.podSelector);
    const out: Fix[] = [];
    if (defaultDeny) {
      const metadata = asMap(pairOf(ctx.object.map, 'metadata')?.value);
      const written = pairOf(metadata, 'namespace') !== undefined && !policy.defaultedNamespace;
      const name = freePolicyName(ctx, policy.namespace, 'allow-dns');
      const doc: { [key: string]: YValue } = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: written ? { name, namespace: policy.namespace } : { name },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [rule] },
      };
      out.push(...fix(`Add NetworkPolicy ${name} allowing DNS (UDP and TCP 53 to ${where})`, [e.insertDocumentsAfter(ctx.object.span.start, [doc])], { preferred: true }));
    }
    out.push(...fix(`Add an egress rule for DNS (UDP and TCP 53 to ${where})`, [add], { preferred: !defaultDeny }));
    return out;
  },
};
