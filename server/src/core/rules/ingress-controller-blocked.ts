import type { Node, YAMLMap } from 'yaml';
import type { Ingress, IngressBackend } from '../model/types';
import { ConnSet, formatPorts, NO_PORTS, subtractPorts, unionPorts, type PortRanges } from '../base/ports';
import { backendTargets, endpointName } from '../reach/connections';
import type { Reachability } from '../reach/engine';
import type { Span } from '../base/span';
import { labelsText, listText } from './support/traffic';
import { perWorld } from './support/world-cache';
import { DEFAULT_INGRESS_CONTROLLER, NAMESPACE_NAME_LABEL, type IngressControllerOptions } from '../k8s/cluster';
import type { PodClass } from '../reach/classes';
import { selectorMatches } from '../reach/selectors';
import type { WorkspaceRule } from './types';
import type { ManifestObject } from '../manifest/types';

export const ingressControllerBlocked: WorkspaceRule = {
  meta: {
    id: 'ingress-controller-blocked',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: "An Ingress or Route whose backend pods' policies do not admit the ingress controller on the target port.",
  },
  check(ctx) {
    const reach = ctx.analysis.reach;
    const { model, table } = reach;
    const ic = reach.ingressControllerClass;
    const controller = reach.classes[ic];
    // The controller's own pods, when the workspace deploys it (the namespace and labels the
    // options name): policies admit them by all their labels, not only the assumed ones.
    const deployed = perWorld(reach, 'ingress-controller-blocked\u0000deployed', () => deployedController(reach, controller));
    const sources = deployed.length > 0 ? deployed.map((c) => c.id) : [ic];
    const assumedNginx = isDefaultController(reach.options.ingressController ?? DEFAULT_INGRESS_CONTROLLER);
    // Where each Ingress routes depends on the world alone: worked out once per world.
    const routesByIngress = perWorld(reach, 'ingress-controller-blocked', () => new Map<Ingress, readonly IngressRoute[]>());
    for (const ing of model.ingresses) {
      if (!ing.source) continue;
      // An Ingress of another class (traefik, haproxy) is served by another controller, which
      // the options do not place: not judged against the assumed ingress-nginx.
      if (assumedNginx && ing.kind === 'Ingress' && ing.className !== undefined && !ing.className.toLowerCase().includes('nginx')) continue;
      let routes = routesByIngress.get(ing);
      if (!routes) routesByIngress.set(ing, (routes = routesOf(reach, ing, ing.source)));
      for (const { backend, where, targets } of routes) {
        const blocked: { name: string; ports: PortRanges }[] = [];
        let missingAll: PortRanges = NO_PORTS;
        let byEgress = true;
        for (const [wi, ports] of targets) {
          // As the connection list does: what any pod of the workload admits counts.
          let allowed = ConnSet.NONE;
          let admitted = ConnSet.NONE;
          for (const c of table.workloadClasses[wi]) {
            for (const s of sources) {
              allowed = allowed.union(reach.between(s, c));
              admitted = admitted.union(reach.ingressFromClass(c, s));
            }
          }
          const missing = subtractPorts(ports, allowed.tcp);
          if (missing.length === 0) continue;
          if (subtractPorts(missing, admitted.tcp).length > 0) byEgress = false;
          blocked.push({ name: endpointName({ type: 'workload', index: wi, workload: model.workloads[wi] }), ports: missing });
          missingAll = unionPorts(missingAll, missing);
        }
        if (blocked.length === 0) continue;
        const what = `${ing.kind} ${ing.namespace}/${ing.name} routes to Service ${backend.service}, but the ingress controller cannot reach ${listText(blocked.map((b) => `${b.name} on TCP ${formatPorts(b.ports)}`))}`;
        const who =
          deployed.length > 0
            ? `the controller (${listText([...new Set(deployed.flatMap((c) => c.workloads.map((wi) => endpointName({ type: 'workload', index: wi, workload: model.workloads[wi] }))))])}, in namespace ${controller.namespace})`
            : `the controller (assumed in namespace ${controller.namespace}${Object.keys(controller.labels).length > 0 ? ` with labels ${Object.entries(controller.labels).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}; configurable)`;
        const message = byEgress
          ? `${what}: egress policies of namespace ${controller.namespace} that select ${who} do not allow it. Allow egress from the controller to these pods with ports: ${portsYaml(missingAll)}.`
          : `${what}: those pods are ingress-isolated and no policy admits ${who} on the Service's target port. Add to a policy that selects them an ingress rule with from: [${peerText(controller.namespace, controller.labels)}] and ports: ${portsYaml(missingAll)}.`;
        ctx.report({ message, span: where.span, path: where.path });
      }
    }
  },
};

/** The workspace's pod classes of the controller: in its namespace, with the labels the options give it (none: the stand-in class is judged). */
function deployedController(reach: Reachability, controller: PodClass): PodClass[] {
  const selector = { matchLabels: controller.labels, matchExpressions: [], valid: true };
  if (Object.keys(controller.labels).length === 0) return [];
  return reach.classes.filter((c) => !c.virtual && c.workloads.length > 0 && c.namespace === controller.namespace && selectorMatches(selector, c.labels));
}

/** The options' controller is the assumed ingress-nginx (not one the user named). */
function isDefaultController(o: IngressControllerOptions): boolean {
  const d = DEFAULT_INGRESS_CONTROLLER;
  return o.namespace === d.namespace && JSON.stringify(o.labels) === JSON.stringify(d.labels);
}

/** One Service an Ingress routes to: where the backend names it, and the pods and ports behind it. */
interface IngressRoute {
  readonly backend: IngressBackend;
  readonly where: BackendName;
  readonly targets: ReadonlyMap<number, PortRanges>;
}

function routesOf(reach: Reachability, ing: Ingress, source: ManifestObject): IngressRoute[] {
  const names = backendNames(source);
  const seen = new Set<string>();
  const out: IngressRoute[] = [];
  for (const backend of ing.backends) {
    // Several paths to one Service port are one route for the controller: report once.
    const key = `${backend.service}\u0000${backend.port ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // Both offsets are in the Ingress's own document: they stay equal when it moves.
    const where = names.find((n) => n.start === backend.span?.start);
    if (!where) continue;
    out.push({ backend, where, targets: backendTargets(reach, { ...ing, backends: [backend] }) });
  }
  return out;
}

/** TCP port ranges as a `ports:` list (TCP is the default protocol). */
function portsYaml(ports: PortRanges): string {
  const items: string[] = [];
  for (let i = 0; i < ports.length; i += 2) items.push(ports[i] === ports[i + 1] ? `{port: ${ports[i]}}` : `{port: ${ports[i]}, endPort: ${ports[i + 1]}}`);
  return `[${items.join(', ')}]`;
}

function peerText(namespace: string, labels: Readonly<Record<string, string>>): string {
  const ns = `namespaceSelector: {matchLabels: {${NAMESPACE_NAME_LABEL}: ${namespace}}}`;
  return Object.keys(labels).length > 0 ? `{${ns}, podSelector: {matchLabels: {${labelsText(labels)}}}}` : `{${ns}}`;
}

interface BackendName {
  /** Start of the backend mapping: the model's IngressBackend.span. */
  readonly start: number | undefined;
  readonly span: Span | undefined;
  readonly path: string;
}

/**
 * Where each backend names its Service, in the same places the model reads backends
 * from (model/extract/service.ts): Ingress defaultBackend (or v1beta1 backend) and
 * rule paths, with `service.name` or v1beta1 `serviceName`; Route `to` and
 * `alternateBackends` with `name`.
 */
function backendNames(obj: ManifestObject): BackendName[] {
  const r = obj.reader;
  const out: BackendName[] = [];
  const spec = r.map(r.get(obj.map, 'spec'));
  const add = (node: Node | undefined, path: string, nameOf: (m: YAMLMap) => { node: Node | undefined; path: string } | undefined) => {
    const m = r.map(node);
    if (!m) return;
    const name = nameOf(m);
    if (!name?.node) return;
    out.push({ start: r.span(m)?.start, span: r.span(name.node), path: `${path}.${name.path}` });
  };
  if (obj.kind === 'Route') {
    const byName = (m: YAMLMap) => ({ node: r.get(m, 'name'), path: 'name' });
    add(r.get(spec, 'to'), 'spec.to', byName);
    r.seq(r.get(spec, 'alternateBackends'))?.items.forEach((item, i) => add(r.resolve(item), `spec.alternateBackends[${i}]`, byName));
    return out;
  }
  const ingressName = (m: YAMLMap) => {
    const svc = r.map(r.get(m, 'service'));
    if (svc) return { node: r.get(svc, 'name'), path: 'service.name' };
    return { node: r.get(m, 'serviceName'), path: 'serviceName' };
  };
  if (r.has(spec, 'defaultBackend')) add(r.get(spec, 'defaultBackend'), 'spec.defaultBackend', ingressName);
  else add(r.get(spec, 'backend'), 'spec.backend', ingressName);
  r.seq(r.get(spec, 'rules'))?.items.forEach((rule, i) => {
    const paths = r.seq(r.get(r.map(r.get(r.map(rule), 'http')), 'paths'));
    paths?.items.forEach((p, j) => add(r.get(r.map(p), 'backend'), `spec.rules[${i}].http.paths[${j}].backend`, ingressName));
  });
  return out;
}
