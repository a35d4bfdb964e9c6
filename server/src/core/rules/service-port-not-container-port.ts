import type { Node, YAMLMap, YAMLSeq } from 'yaml';
import { readProtocol } from '../model/extract/common';
import type { Service, ServicePort } from '../model/types';
import type { Protocol } from '../base/ports';
import { resolvePorts } from '../reach/compile';
import { selectorMatches } from '../reach/selectors';
import type { PolicyAst, PolicyRuleAst } from '../lint/policy-ast';
import { propose, type FixProposal } from '../lint/fix';
import { asScalar } from '../yaml/nodes';
import { acceptedPolicy, destinations, ruleEntries, workloadList } from './support/traffic';
import { perWorld } from './support/world-cache';
import type { WorkspaceRule } from './types';

/** The rule, its ports list, and the port entry (its position there) and value in question. */
interface Data {
  readonly rule: PolicyRuleAst;
  readonly list: YAMLSeq;
  readonly entry: YAMLMap;
  readonly index: number;
  readonly value: Node | undefined;
}

interface Candidate {
  readonly service: Service;
  readonly port: ServicePort;
}

export const servicePortNotContainerPort: WorkspaceRule<Data> = {
  meta: {
    id: 'service-port-not-container-port',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: "A rule port that is a Service's port, not the pods' port: policies see the pod's port (the Service's targetPort).",
    fix: 'safe',
  },
  checkPolicyInWorld(ast, ctx, report) {
    const reach = ctx.analysis.reach;
    const byPort = perWorld(reach, 'service-port-not-container-port', () => servicePortsOf(ctx.analysis.model.services));
    if (byPort.size === 0) return;
    // The numeric ports of each rule (from the YAML alone, once per policy).
    const numbered = ast.memo('service-port-not-container-port', numericPorts);
    if (numbered.every((ports) => ports.length === 0)) return;
    const entry = acceptedPolicy(ast, ctx);
    if (!entry) return;
    const r = entry.ast.reader;
    const rules = ruleEntries(entry);
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i];
      if (!rule.compiled) continue;
      for (const { valueNode, number, protocol, path, data } of numbered[i]) {
        const candidates = byPort.get(`${protocol}/${number}`);
        if (!candidates) continue;
        const dest = destinations(reach, entry, rule);
        if (dest.kind !== 'pods' || dest.classes.length === 0) continue;
        const destSet = new Set(dest.classes);
        // If any of these pods listens on the number itself, the port may be meant for it.
        if (dest.classes.some((c) => reach.classes[c].ports.some((p) => p.port === number && p.protocol === protocol))) continue;
        const destNamespaces = new Set(dest.classes.map((c) => reach.classes[c].namespace));
        for (const { service, port: sp } of candidates) {
          // Only a Service of a destination's namespace can be backed by destinations.
          if (!destNamespaces.has(service.namespace)) continue;
          const selector = { matchLabels: service.selector ?? {}, matchExpressions: [], valid: true };
          const backing = (reach.table.byNamespace.get(service.namespace) ?? []).filter((c) => destSet.has(c) && selectorMatches(selector, reach.classes[c].labels));
          const targets = new Set<number>();
          for (const c of backing) {
            const t = targetOn(sp, reach.classes[c].ports, protocol);
            if (t !== undefined && t !== number) targets.add(t);
          }
          if (targets.size === 0) continue;
          const target = [...targets].sort((a, b) => a - b);
          const rulePorts = rule.compiled.ports;
          const alreadyAllowed = backing.every((c) => target.every((t) => resolvePorts(rulePorts, reach.classes[c]).allows(protocol, t)));
          const to = typeof sp.targetPort === 'string' ? `targetPort ${sp.targetPort} (containerPort ${target.join('/')})` : `targetPort ${target.join('/')}`;
          const use = typeof sp.targetPort === 'string' ? `port: ${sp.targetPort} (or ${target.join('/')})` : `port: ${target.join('/')}`;
          const fix = alreadyAllowed
            ? `This rule already allows ${target.join('/')}; port ${number} only opens a port the pods do not declare: remove it.`
            : `Use ${use}.`;
          report({
            message: `Port ${number} is Service ${service.namespace}/${service.name}'s port, which forwards to ${to} on ${workloadList(reach, backing)}; NetworkPolicies match the pod's port after the Service's address translation, and these pods declare no containerPort ${number}. ${fix}`,
            span: r.span(valueNode),
            path,
            data,
          });
          break;
        }
      }
    }
  },
  /**
   * A rule port that is a Service's port -> the Service's targetPort on the pods (by name
   * when the targetPort is named, else the number). When the rule already allows the
   * target port, the Service port is only an extra: remove it.
   */
  fix({ rule, list: ports, entry: portMap, index, value }, ctx) {
    const node = asScalar(value);
    const found = ctx.policy();
    if (!node || typeof node.value !== 'number' || !found?.compiled) return [];
    const number = node.value;
    const protocolNode = portMap.items.find((p) => asScalar(p.key)?.value === 'protocol')?.value;
    const protocol = protocolNode === undefined ? 'TCP' : asScalar(protocolNode)?.value;
    if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') return [];
    const { reach } = ctx.analysis;
    const compiledRule = (rule.direction === 'Ingress' ? found.compiled.ingress : found.compiled.egress)[rule.index];
    if (!compiledRule) return [];
    const dest = (rule.direction === 'Ingress' ? found.compiled.selected : compiledRule.classes.members).filter((c) => !reach.classes[c].virtual);
    const destSet = new Set(dest);
    const namespaces = new Set(dest.map((c) => reach.classes[c].namespace));
    for (const service of ctx.analysis.model.services) {
      if (!service.selector || !namespaces.has(service.namespace)) continue;
      const sp = service.ports.find((p) => p.port === number && p.protocol === protocol && p.targetPort !== undefined && p.targetPort !== p.port);
      if (!sp) continue;
      const selector = { matchLabels: service.selector, matchExpressions: [], valid: true };
      const backing = (reach.table.byNamespace.get(service.namespace) ?? []).filter((c) => destSet.has(c) && selectorMatches(selector, reach.classes[c].labels));
      const targets = new Set<number>();
      for (const c of backing) {
        const t = sp.targetPort ?? sp.port;
        const resolved = typeof t === 'number' ? t : reach.classes[c].ports.find((p) => p.name === t && p.protocol === protocol)?.port;
        if (resolved !== undefined && resolved !== number) targets.add(resolved);
      }
      if (targets.size === 0) continue;
      const list = [...targets].sort((a, b) => a - b);
      const e = ctx.editor;
      const allowed = backing.every((c) => list.every((t) => resolvePorts(compiledRule.ports, reach.classes[c]).allows(protocol, t)));
      if (allowed) return propose(`Remove port ${number} (the rule already allows ${list.join('/')})`, [e.removeItem(ports, index)], { preferred: true, unsafe: true });
      const svc = `Service ${service.name}`;
      if (typeof sp.targetPort === 'string') {
        return [
          ...propose(`Use the pods' port ${sp.targetPort} (${svc}'s targetPort) instead of ${number}`, [e.replaceScalar(node, sp.targetPort)], { preferred: true }),
          ...list.flatMap((t): FixProposal[] => propose(`Use the pods' port ${t} instead of ${number}`, [e.replaceScalar(node, t)], { unsafe: true })),
        ];
      }
      const only = list.length === 1;
      return list.flatMap((t): FixProposal[] => propose(`Use the pods' port ${t} (${svc}'s targetPort) instead of ${number}`, [e.replaceScalar(node, t)], { preferred: only, unsafe: !only }));
    }
    return [];
  },
};

interface NumericPort {
  readonly valueNode: Node | undefined;
  readonly number: number;
  readonly protocol: Protocol;
  readonly path: string;
  readonly data: Data | undefined;
}

/**
 * Per rule of the policy (as ast.rules() lists them), its ports given by number. A range
 * (endPort) is a deliberate span of pod ports, not a Service port mix-up.
 */
function numericPorts(ast: PolicyAst): NumericPort[][] {
  const r = ast.reader;
  return ast.rules().map((rule) => {
    const out: NumericPort[] = [];
    for (const port of rule.ports) {
      const valueNode = r.resolve(r.pair(port.node, 'port')?.value);
      const number = r.number(valueNode);
      const protocol = readProtocol(r, port.node);
      if (number === undefined || protocol === undefined || r.has(port.node, 'endPort')) continue;
      const list = r.seq(r.get(rule.node, 'ports'));
      out.push({ valueNode, number, protocol, path: `${port.path}.port`, data: list && { rule, list, entry: port.node, index: port.index, value: valueNode } });
    }
    return out;
  });
}

/** The last Services asked about, and their ports (an edit of a workload makes a new world with the same Service objects). */
let lastServices: { readonly services: readonly Service[]; readonly byPort: Map<string, Candidate[]> } | undefined;

/** servicePortsByPort, reused while the Services are the same objects in the same order. */
function servicePortsOf(services: readonly Service[]): Map<string, Candidate[]> {
  const last = lastServices;
  if (last && last.services.length === services.length && last.services.every((s, i) => s === services[i])) return last.byPort;
  const byPort = servicePortsByPort(services);
  lastServices = { services, byPort };
  return byPort;
}

/**
 * Service ports that forward to another port, by "protocol/port": the only ones a rule
 * can confuse with the pods' port.
 */
function servicePortsByPort(services: readonly Service[]): Map<string, Candidate[]> {
  const byPort = new Map<string, Candidate[]>();
  for (const service of services) {
    if (!service.selector) continue;
    for (const port of service.ports) {
      if (port.targetPort === undefined || port.targetPort === port.port) continue;
      const key = `${port.protocol}/${port.port}`;
      const list = byPort.get(key);
      if (list) list.push({ service, port });
      else byPort.set(key, [{ service, port }]);
    }
  }
  return byPort;
}

/** The pod port a Service port forwards to on a pod with these container ports. */
function targetOn(sp: ServicePort, ports: readonly { name?: string; port: number; protocol: Protocol }[], protocol: Protocol): number | undefined {
  const t = sp.targetPort ?? sp.port;
  if (typeof t === 'number') return t;
  return ports.find((p) => p.name === t && p.protocol === protocol)?.port;
}
