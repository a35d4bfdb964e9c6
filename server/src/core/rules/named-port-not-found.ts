import type { Node } from 'yaml';
import { readProtocol } from '../model/extract/common';
import type { Protocol } from '../base/ports';
import type { PodClass } from '../reach/classes';
import type { PolicyAst } from '../lint/policy-ast';
import { acceptedPolicy, destinations, editDistance, listText, ruleEntries, workloadList } from './support/traffic';
import type { WorkspaceRule } from './types';

export const namedPortNotFound: WorkspaceRule = {
  meta: {
    id: 'named-port-not-found',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'A named port in a rule must be declared (name and protocol) by a container of the pods it is resolved on.',
  },
  checkPolicyInWorld(ast, ctx, reportTo) {
    // The named ports of each rule (from the YAML alone, once per policy).
    const named = ast.memo('named-port-not-found', namedPorts);
    if (named.every((ports) => ports.length === 0)) return;
    const reach = ctx.analysis.reach;
    const entry = acceptedPolicy(ast, ctx);
    if (!entry) return;
    const r = entry.ast.reader;
    ruleEntries(entry).forEach((rule, i) => {
      // A direction that policyTypes omits has no effect: nothing is resolved there.
      if (!rule.compiled) return;
      let dest: ReturnType<typeof destinations> | undefined;
      for (const { valueNode, name, protocol, path } of named[i]) {
        dest ??= destinations(reach, entry, rule);
        const span = r.span(valueNode);
        const report = (message: string) => reportTo({ message, span, path });
        if (dest.kind === 'external') {
          report(`Named port "${name}" never matches here: named ports are resolved on the destination pod, and this rule's peers are only ipBlocks (addresses outside the cluster, where there is no pod to resolve it on). Use the port number.`);
          continue;
        }
        // Only judge what the workspace shows: no pods, no verdict.
        if (dest.kind !== 'pods' || dest.classes.length === 0) continue;
        const classes = dest.classes.map((c) => reach.classes[c]);
        if (classes.some((c) => c.ports.some((p) => p.name === name && p.protocol === protocol))) continue;
        const whose = rule.ast.direction === 'Ingress' ? 'pod this policy selects' : 'destination pod of this rule';
        report(`No ${whose} (${workloadList(reach, dest.classes)}) declares a port named "${name}" for ${protocol}, so this port matches nothing on them.${hint(name, protocol, classes)}`);
      }
    });
  },
};

interface NamedPort {
  readonly valueNode: Node | undefined;
  readonly name: string;
  readonly protocol: Protocol;
  readonly path: string;
}

/** Per rule of the policy (spec.ingress, then spec.egress, as ast.rules() lists them), its ports given by name. */
function namedPorts(ast: PolicyAst): NamedPort[][] {
  const r = ast.reader;
  return ast.rules().map((rule) => {
    const out: NamedPort[] = [];
    for (const port of rule.ports) {
      const valueNode = r.resolve(r.pair(port.node, 'port')?.value);
      const name = r.string(valueNode);
      const protocol = readProtocol(r, port.node);
      if (name === undefined || protocol === undefined) continue;
      out.push({ valueNode, name, protocol, path: `${port.path}.port` });
    }
    return out;
  });
}
/** What the pods do declare: the same name under another protocol, a near name, the list. */
function hint(name: string, protocol: string, classes: readonly PodClass[]): string {
  const named = classes.flatMap((c) => c.ports.filter((p) => p.name !== undefined));
  const protocols = [...new Set(named.filter((p) => p.name === name).map((p) => p.protocol))];
  if (protocols.length > 0) return ` They declare "${name}" for ${protocols.join(', ')}, not ${protocol}: set protocol: ${protocols[0]} on this port.`;
  if (named.length === 0) return ' They declare no port names: use the port number.';
  const lower = name.toLowerCase();
  const near = [...new Set(named.map((p) => p.name as string))]
    .map((n) => ({ n, d: editDistance(lower, n) }))
    .filter((x) => x.d <= Math.max(1, Math.min(2, Math.floor(x.n.length / 3))))
    .sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : 1));
  const suggestion = near.length > 0 ? ` Did you mean "${near[0].n}"?` : '';
  const all = [...new Set(named.map((p) => `${p.name} (${p.protocol} ${p.port})`))].sort();
  return `${suggestion} Declared port names: ${listText(all, 6)}.`;
}
