import type { ContainerPort } from '../model/types';
import type { CompiledPolicy } from '../reach/compile';
import type { Reachability } from '../reach/engine';
import type { PolicyAst, PolicyRuleAst } from '../lint/policy-ast';
import { effectiveRules, flowYaml, peersKeyOf, summarize } from './support/isolation';
import type { WorkspaceRule } from './types';

export const ruleWithoutPorts: WorkspaceRule = {
  meta: {
    id: 'rule-without-ports',
    category: 'segmentation',
    defaultSeverity: 'info',
    description: 'A rule with peers but without ports opens every port and protocol to those peers.',
  },
  checkPolicyInWorld(ast, ctx, report) {
    // The rules with peers but without ports (from the YAML alone, once per policy).
    const open = ast.memo('rule-without-ports', rulesWithoutPorts);
    if (open.length === 0) return;
    const { reach } = ctx.analysis;
    const r = ast.reader;
    for (const { rule, key, ruleIndex } of open) {
      const declared = destinationPorts(reach, ctx.compiled, rule.direction, ruleIndex);
      const example = declared.length > 0 ? flowYaml(declared.slice(0, 1).map((p) => ({ port: p.port, protocol: p.protocol }))) : '[{port: <port>, protocol: TCP}]';
      const hint =
        declared.length > 0
          ? ` (the ${rule.direction === 'Ingress' ? 'selected pods' : 'destination pods'} declare containerPorts ${summarize(declared.map((p) => `${p.protocol} ${p.port}`), 6)})`
          : '';
      const who = rule.direction === 'Ingress' ? 'sources' : 'destinations';
      report({
        message:
          `This ${rule.direction.toLowerCase()} rule lists ${who} but no ports, so every port and protocol is open between them and the selected pods. ` +
          `Add the ports that are needed${hint}, e.g. ports: ${example}.`,
        span: r.span(r.pair(rule.node, key)?.key),
        path: `${rule.path}.${key}`,
      });
    }
  },
};

function rulesWithoutPorts(ast: PolicyAst): { rule: PolicyRuleAst; key: 'from' | 'to'; ruleIndex: number }[] {
  const r = ast.reader;
  const out: { rule: PolicyRuleAst; key: 'from' | 'to'; ruleIndex: number }[] = [];
  for (const rule of effectiveRules(ast)) {
    if (!rule.node) continue;
    const key = peersKeyOf(rule.direction);
    // Without peers it is allow-all-peers' finding; with ports, nothing to say.
    if (r.items(r.get(rule.node, key)).length === 0 || r.items(r.get(rule.node, 'ports')).length > 0) continue;
    out.push({ rule, key, ruleIndex: Number(/\[(\d+)\]$/.exec(rule.path)?.[1] ?? -1) });
  }
  return out;
}

/**
 * The container ports of the pods on the receiving end of a rule: the policy's selected
 * pods for ingress, the rule's peer pods for egress. Ports are a hint, not a limit: a
 * pod may listen on ports it does not declare.
 */
function destinationPorts(reach: Reachability, compiled: CompiledPolicy | undefined, direction: 'Ingress' | 'Egress', ruleIndex: number): ContainerPort[] {
  if (!compiled) return [];
  const classes = direction === 'Ingress' ? compiled.selected : (compiled.egress[ruleIndex]?.classes.members ?? []);
  const seen = new Map<string, ContainerPort>();
  for (const c of classes) {
    const cls = reach.classes[c];
    if (cls.virtual) continue;
    for (const p of cls.ports) {
      const k = `${p.protocol}/${p.port}`;
      if (!seen.has(k)) seen.set(k, p);
    }
  }
  return [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
}
