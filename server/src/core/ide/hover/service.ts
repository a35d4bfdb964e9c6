import type { Analysis } from '../../analysis/analyze';
import type { Ingress, IngressBackend, LabelSelector, Service, ServicePort, Workload } from '../../model/types';
import { ConnSet, NO_PORTS, portRange, unionPorts, type PortRanges } from '../../base/ports';
import { backendTargets, type Connection } from '../../reach/connections';
import { type Reachability } from '../../reach/engine';
import { selectorMatches } from '../../reach/selectors';
import { connectionsOf, isolatingPolicies } from '../../reach/lookups';
import { capLines, code, connectionLines, plural, policyLink, shortName, summarize, text, type Locate } from './format';
import { DEFAULT_INGRESS_CONTROLLER } from '../../k8s/cluster';

function serviceSelector(svc: Service): LabelSelector | undefined {
  return svc.selector ? { matchLabels: svc.selector, matchExpressions: [], valid: true } : undefined;
}

/** The workloads of the Service's namespace with pods its selector selects (model order). */
function backendsOf(reach: Reachability, svc: Service): number[] {
  const sel = serviceSelector(svc);
  if (!sel) return [];
  return (reach.index.workloadsByNamespace.get(svc.namespace) ?? []).filter((wi) => reach.model.workloads[wi].pods.some((p) => selectorMatches(sel, p.labels)));
}

/** The pod port a Service port sends to on a workload's selected pods (by number, or by name and protocol). */
function targetOn(w: Workload, sel: LabelSelector, sp: ServicePort): number[] {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return [target];
  const out = new Set<number>();
  for (const pod of w.pods) {
    if (!selectorMatches(sel, pod.labels)) continue;
    const found = pod.ports.find((cp) => cp.name === target && cp.protocol === sp.protocol);
    if (found) out.add(found.port);
  }
  return [...out].sort((a, b) => a - b);
}

function portLabel(sp: ServicePort): string {
  return `${sp.port}${sp.protocol === 'TCP' ? '' : `/${sp.protocol}`}${sp.name ? ` (${code(sp.name)})` : ''}`;
}

/** A Service: the pods behind it, the pod ports each Service port reaches, and who can reach the pods on those ports. */
export function serviceHover(analysis: Analysis, svc: Service): string {
  const { reach, model } = analysis;
  const title = `**Service** ${code(`${svc.namespace}/${svc.name}`)}`;
  const sel = serviceSelector(svc);
  if (!sel) return `${title}\n\nNo selector: its endpoints are managed outside the workspace; not analysed.`;
  const backends = backendsOf(reach, svc);
  if (backends.length === 0) return `${title}\n\nSelects no pod in namespace ${code(svc.namespace)}.`;
  const out = [title, '', `Selects ${plural(backends.length, 'workload')}: ${summarize(backends.map((wi) => code(shortName(model.workloads[wi]))))}`];
  // Per backend workload: the target ports (what the Service's traffic arrives on).
  const targets = new Map<number, ConnSet>();
  const portLines: string[] = [];
  for (const sp of svc.ports) {
    const parts: string[] = [];
    for (const wi of backends) {
      const w = model.workloads[wi];
      const ports = targetOn(w, sel, sp);
      let ranges: PortRanges = NO_PORTS;
      for (const p of ports) ranges = unionPorts(ranges, portRange(p));
      targets.set(wi, (targets.get(wi) ?? ConnSet.NONE).union(ConnSet.forProtocol(sp.protocol, ranges)));
      parts.push(ports.length > 0 ? `${ports.join(', ')} on ${code(shortName(w))}` : `no ${sp.protocol} container port named ${code(String(sp.targetPort))} on ${code(shortName(w))}`);
    }
    const target = sp.targetPort === undefined ? `${sp.port}` : typeof sp.targetPort === 'number' ? `${sp.targetPort}` : code(sp.targetPort);
    portLines.push(`- port ${portLabel(sp)} → ${target}: ${summarize(parts)}`);
  }
  if (portLines.length > 0) out.push('', ...capLines(portLines, (n) => `- and ${plural(n, 'more port')}`));
  const shown = backends.slice(0, 5);
  for (const wi of shown) {
    const t = targets.get(wi) ?? ConnSet.NONE;
    const through: Connection[] = [];
    for (const c of connectionsOf(reach, wi, 'into')) {
      const conn = c.conn.intersect(t);
      if (!conn.isEmpty()) through.push({ src: c.src, dst: c.dst, conn });
    }
    const to = backends.length > 1 ? `, to ${code(shortName(model.workloads[wi]))}` : '';
    out.push('');
    if (through.length === 0) out.push(`**Reachable through it${to}**: from nowhere (no source is allowed on the target ports)`);
    else out.push(`**Reachable through it${to}** from ${plural(through.length, 'source')}:`, '', ...connectionLines(through, (c) => c.src));
  }
  if (backends.length > shown.length) out.push('', `(and ${plural(backends.length - shown.length, 'more workload')} behind it)`);
  return out.join('\n');
}

/** One Ingress/Route backend: can the ingress controller reach the pods behind it, on the ports it routes to? */
export function backendHover(analysis: Analysis, ing: Ingress, backend: IngressBackend, locate: Locate): string {
  const title = `**${text(ing.kind)}** ${code(`${ing.namespace}/${ing.name}`)} → Service ${code(backend.service)}${backend.port !== undefined ? ` port ${code(String(backend.port))}` : ''}`;
  return [title, '', ...backendLines(analysis, ing, backend, locate), '', controllerNote(analysis.reach)].join('\n');
}

/** Every backend of an Ingress/Route (hover on its kind or name). */
export function ingressHover(analysis: Analysis, ing: Ingress, locate: Locate): string {
  const out = [`**${text(ing.kind)}** ${code(`${ing.namespace}/${ing.name}`)}`];
  if (ing.backends.length === 0) out.push('', 'No backend.');
  for (const b of ing.backends.slice(0, 6)) {
    out.push('', `Service ${code(b.service)}${b.port !== undefined ? ` port ${code(String(b.port))}` : ''}:`, '', ...backendLines(analysis, ing, b, locate));
  }
  if (ing.backends.length > 6) out.push('', `(and ${plural(ing.backends.length - 6, 'more backend')})`);
  out.push('', controllerNote(analysis.reach));
  return out.join('\n');
}

function controllerNote(reach: Reachability): string {
  const ic = reach.options.ingressController ?? DEFAULT_INGRESS_CONTROLLER;
  const labels = Object.entries(ic.labels).map(([k, v]) => `${k}=${v}`);
  return `_The ingress controller is taken to run in namespace ${code(ic.namespace)}${labels.length > 0 ? ` with labels ${code(labels.join(','))}` : ''} (settings \`netpol.ingressController.*\`)._`;
}

function backendLines(analysis: Analysis, ing: Ingress, backend: IngressBackend, locate: Locate): string[] {
  const { reach, model } = analysis;
  const svc = reach.index.services.get(`${ing.namespace}/${backend.service}`);
  if (!svc) return [`No Service ${code(`${ing.namespace}/${backend.service}`)} in the workspace.`];
  if (!svc.selector) return ['The Service has no selector: its endpoints are managed outside the workspace; not analysed.'];
  const backends = backendsOf(reach, svc);
  if (backends.length === 0) return [`The Service selects no pod in namespace ${code(svc.namespace)}.`];
  // The core's view of this one route: the pods and TCP ports the controller sends to.
  const targets = backendTargets(reach, { ...ing, backends: [backend] });
  const lines: string[] = [];
  for (const wi of backends) {
    const name = code(shortName(model.workloads[wi]));
    const ports = targets.get(wi);
    if (!ports) {
      lines.push(`- ${name}: declares no TCP container port for the Service's target port: the route leads nowhere`);
      continue;
    }
    const want = ConnSet.of(ports, NO_PORTS, NO_PORTS);
    const fromController = connectionsOf(reach, wi, 'into').find((c) => c.src.type === 'ingress-controller');
    const got = fromController ? fromController.conn.intersect(want) : ConnSet.NONE;
    if (!got.isEmpty()) {
      const missing = want.subtract(got);
      lines.push(`- ${name}: reachable from the ingress controller on ${got.toString()}${missing.isEmpty() ? '' : ` (blocked on ${missing.toString()})`}`);
      continue;
    }
    const reasons: string[] = [];
    const ingressSide = isolatingPolicies(reach, wi, 'Ingress');
    if (ingressSide.policies.length > 0) reasons.push(`its ingress is isolated by ${summarize(ingressSide.policies.map((p) => policyLink(p.policy, locate)))}`);
    const egressSide = reach.compiled.egressOf[reach.ingressControllerClass] ?? [];
    if (egressSide.length > 0) reasons.push(`the controller's egress is isolated by ${summarize(egressSide.map((p) => policyLink(p.policy, locate)))}`);
    lines.push(`- ${name}: **blocked** on ${want.toString()}${reasons.length > 0 ? `: ${reasons.join(', and ')}, and no rule admits the ingress controller there` : ''}`);
  }
  return capLines(lines, (n) => `- and ${plural(n, 'more workload')}`);
}
