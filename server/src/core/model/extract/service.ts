import type { Ingress, IngressBackend, ServicePort } from '../types';
import { readIntOrString, readNames, readProtocol } from './common';
import type { ManifestObject } from '../../manifest/types';

export interface RawService {
  readonly name: string;
  readonly namespace?: string;
  readonly selector?: Record<string, string>;
  readonly ports: readonly ServicePort[];
}

export function readService(obj: ManifestObject): RawService {
  const r = obj.reader;
  const meta = readNames(obj);
  const spec = r.map(r.get(obj.map, 'spec'));
  const selectorNode = r.map(r.get(spec, 'selector'));
  const ports: ServicePort[] = [];
  for (const p of r.items(r.get(spec, 'ports'))) {
    const pm = r.map(p);
    const port = r.number(r.get(pm, 'port'));
    const protocol = readProtocol(r, pm);
    if (port === undefined || protocol === undefined) continue;
    const name = r.text(r.get(pm, 'name'));
    const targetPort = readIntOrString(r, r.get(pm, 'targetPort'));
    ports.push({ port, protocol, ...(name ? { name } : {}), ...(targetPort !== undefined ? { targetPort } : {}) });
  }
  const selector = selectorNode && selectorNode.items.length > 0 ? r.stringMap(selectorNode) : undefined;
  // (ports.slice(): a copy of its exact size; a list grown by push keeps spare room.)
  return { name: meta.name, namespace: meta.namespace, selector, ports: ports.slice() };
}

export type RawIngress = Omit<Ingress, 'namespace'> & { readonly namespace?: string };

/** networking.k8s.io/v1 Ingress (and the v1beta1 field names), or an OpenShift Route. */
export function readIngress(obj: ManifestObject): RawIngress {
  const r = obj.reader;
  const meta = readNames(obj);
  const spec = r.map(r.get(obj.map, 'spec'));
  const backends: IngressBackend[] = [];
  if (obj.kind === 'Route') {
    const port = readIntOrString(r, r.get(r.map(r.get(spec, 'port')), 'targetPort'));
    const targets = [r.get(spec, 'to'), ...r.items(r.get(spec, 'alternateBackends'))];
    for (const t of targets) {
      const m = r.map(t);
      if (!m || (r.string(r.get(m, 'kind')) ?? 'Service') !== 'Service') continue;
      const service = r.text(r.get(m, 'name'));
      if (service) backends.push({ service, ...(port !== undefined ? { port } : {}), span: r.span(m) });
    }
    return { kind: 'Route', name: meta.name, namespace: meta.namespace, backends };
  }
  const addBackend = (node: unknown) => {
    const b = r.map(node);
    if (!b) return;
    const svc = r.map(r.get(b, 'service'));
    if (svc) {
      const service = r.text(r.get(svc, 'name'));
      const pm = r.map(r.get(svc, 'port'));
      const port = r.number(r.get(pm, 'number')) ?? r.text(r.get(pm, 'name'));
      if (service) backends.push({ service, ...(port !== undefined ? { port } : {}), span: r.span(b) });
      return;
    }
    const legacy = r.text(r.get(b, 'serviceName'));
    if (legacy) {
      const port = readIntOrString(r, r.get(b, 'servicePort'));
      backends.push({ service: legacy, ...(port !== undefined ? { port } : {}), span: r.span(b) });
    }
  };
  addBackend(r.get(spec, 'defaultBackend') ?? r.get(spec, 'backend'));
  for (const rule of r.items(r.get(spec, 'rules'))) {
    for (const path of r.items(r.get(r.map(r.get(r.map(rule), 'http')), 'paths'))) addBackend(r.get(r.map(path), 'backend'));
  }
  const className = r.string(r.get(spec, 'ingressClassName')) ?? r.string(r.get(r.map(r.get(meta.metadata, 'annotations')), 'kubernetes.io/ingress.class'));
  return { kind: 'Ingress', name: meta.name, namespace: meta.namespace, backends, ...(className ? { className } : {}) };
}
