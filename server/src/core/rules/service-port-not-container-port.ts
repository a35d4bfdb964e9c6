import type { Node } from 'yaml';
import { readProtocol } from '../model/extract/common';
import type { Service, ServicePort } from '../model/types';
import type { Protocol } from '../base/ports';
import { resolvePorts } from '../reach/compile';
import { selectorMatches } from '../reach/selectors';
import type { PolicyAst } from '../lint/policy-ast';
import { acceptedPolicy, destinations, ruleEntries, workloadList } from './support/traffic';
import { perWorld } from './support/world-cache';
import type { WorkspaceRule } from './types';

interface Candidate {
  readonly service: Service;
  readonly port: ServicePort;
}

export const servicePortNotContainerPort: WorkspaceRule = {
  meta: {
    id: 'service-port-not-container-port',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: "A rule port that is a Service's port, not the pods' port: policies see the pod's port (the Service's targetPort).",
  },
  checkPolicyInWorld(ast, ctx, report) {
    const reach = ctx.analysis.reach;
    const byPort = perWorld(reach, 'service-port-not-container-port', () => servicePortsByPort(ctx.analysis.model.services));
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
      for (const { valueNode, number, protocol, path } of numbered[i]) {
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
          });
          break;
        }
      }
    }
  },
};

interface NumericPort {
  readonly valueNode: Node | undefined;
  readonly number: number;
  readonly protocol: Protocol;
  readonly path: string;
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
      out.push({ valueNode, number, protocol, path: `${port.path}.port` });
    }
    return out;
  });
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
