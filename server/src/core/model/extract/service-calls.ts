import type { ManifestObject } from '../../manifest/types';
import { addressesIn, isSvcAddress, mayHoldCertainAddress } from '../../k8s/addresses';
import type { NodeReader } from '../../yaml/nodes';
import { readNames } from './common';
import { podTemplatePath } from './workload';

/**
 * References to Services by name, as written: the address of a call in a pod's env,
 * command or args (`mongodb://mongodb`, `http://api.shop:8080`), or a Service a
 * ServiceMonitor scrapes. The model compares them with the Services the workspace
 * declares: a Service referred to and declared nowhere is evidence that its namespace
 * holds objects deployed another way (a chart, a script, an operator).
 */
export interface RawServiceCall {
  readonly name: string;
  /** Undefined: the caller's own namespace. */
  readonly namespace?: string;
  /** The host says `.svc`: a Service address whatever namespaces the workspace knows. */
  readonly svc: boolean;
  /** How it is referred to, in words: `called by env MONGO_URL`. */
  readonly how: string;
  /** The address as written: `mongodb://mongodb`. */
  readonly text: string;
}

/** A ServiceMonitor's endpoints by port name: each names a port of the Services it scrapes. */
export interface RawMonitor {
  readonly name: string;
  /** The namespaces it scrapes (`namespaceSelector.matchNames`); undefined: its own. */
  readonly namespaces?: readonly string[];
  readonly portNames: readonly string[];
}

/**
 * The certain Service addresses a workload's containers name in env values, command and
 * args (a bare word is no address here: `DB_NAME: orders` names no Service). Only kinds
 * whose pod template the model reads; empty when there are none.
 */
export function workloadCalls(obj: ManifestObject): readonly RawServiceCall[] {
  const path = podTemplatePath(obj.kind);
  if (!path) return NO_CALLS;
  const r = obj.reader;
  let template: unknown = obj.map;
  for (const key of path) template = r.get(r.map(template), key);
  const spec = r.map(r.get(r.map(template), 'spec'));
  let out: RawServiceCall[] | undefined;
  const read = (text: string, what: string) => {
    for (const ref of addressesIn(text)) {
      if (!ref.certain) continue;
      (out ??= []).push({ name: ref.name, ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}), svc: isSvcAddress(ref.text), how: `called by ${what}`, text: ref.text });
    }
  };
  // Values are tested before anything is made of them: a cluster dump's 100,000 pods hold env values by the hundred thousand.
  for (const list of CONTAINER_LISTS) {
    for (const c of r.items(r.get(spec, list))) {
      const cm = r.map(c);
      for (const e of r.items(r.get(cm, 'env'))) {
        const em = r.map(e);
        const value = r.text(r.get(em, 'value'));
        if (value !== undefined && mayHoldCertainAddress(value)) read(value, `env ${r.text(r.get(em, 'name')) ?? '?'}`);
      }
      for (const field of COMMAND_FIELDS) {
        for (const item of r.items(r.get(cm, field))) {
          const value = r.text(item);
          if (value !== undefined && mayHoldCertainAddress(value)) read(value, `container ${r.text(r.get(cm, 'name')) ?? '?'} ${field}`);
        }
      }
    }
  }
  return out ?? NO_CALLS;
}

const NO_CALLS: readonly RawServiceCall[] = [];
const CONTAINER_LISTS = ['initContainers', 'containers'] as const;
const COMMAND_FIELDS = ['command', 'args'] as const;


/** A ServiceMonitor (monitoring.coreos.com) read for the Services it scrapes; undefined for other kinds. */
export function serviceMonitor(obj: ManifestObject): { readonly monitor: RawMonitor; readonly calls: readonly RawServiceCall[] } | undefined {
  if (obj.kind !== 'ServiceMonitor' || !obj.apiVersion.startsWith('monitoring.coreos.com/')) return undefined;
  const r = obj.reader;
  const spec = r.map(r.get(obj.map, 'spec'));
  const nsSel = r.map(r.get(spec, 'namespaceSelector'));
  // `any: true` scrapes every namespace: it says nothing of one.
  if (r.boolean(r.get(nsSel, 'any')) === true) return undefined;
  const names = r.items(r.get(nsSel, 'matchNames')).map((n) => r.text(n)).filter((n): n is string => !!n);
  const portNames: string[] = [];
  const calls: RawServiceCall[] = [];
  for (const ep of r.items(r.get(spec, 'endpoints'))) {
    const m = r.map(ep);
    const port = r.string(r.get(m, 'port'));
    if (port) portNames.push(port);
    // The name its TLS certificate is checked against: the scraped Service's address.
    serverName(r, r.map(r.get(m, 'tlsConfig')), calls);
  }
  return { monitor: { name: readNames(obj).name, ...(names.length > 0 ? { namespaces: names } : {}), portNames }, calls };
}

function serverName(r: NodeReader, tls: unknown, out: RawServiceCall[]): void {
  const text = r.text(r.get(r.map(tls), 'serverName'));
  if (!text) return;
  for (const ref of addressesIn(text)) if (ref.certain && ref.namespace !== undefined) out.push({ name: ref.name, namespace: ref.namespace, svc: isSvcAddress(ref.text), how: 'named by tlsConfig.serverName', text: ref.text });
}
