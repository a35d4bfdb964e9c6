import { collectEvidence } from '../evidence/evidence';
import type { Evidence, EvidenceOptions } from '../evidence/types';
import { PROMETHEUS } from '../k8s/cluster';
import type { Analysis } from './analyze';
import type { LoadedFile, ManifestObject } from '../manifest/types';
import { clusterKindOf } from '../k8s/cluster-schema';
import type { NetpolConfig } from './config';

/** The evidence options of a configuration (Prometheus is assumed where kube-prometheus puts it). */
export function evidenceOptionsOf(config: Pick<NetpolConfig, 'ingressController' | 'dns'>, baseline: EvidenceOptions['baseline'] = { dns: true, apiServer: true }): EvidenceOptions {
  return { ingressController: config.ingressController, dns: config.dns, prometheus: PROMETHEUS, baseline };
}

/** Evidence per analysis (one state of the files) and options: computed once, whoever asks. */
const cache = new WeakMap<Analysis, Map<string, Evidence>>();

export function evidenceOf(analysis: Analysis, options: EvidenceOptions): Evidence {
  let byOptions = cache.get(analysis);
  if (!byOptions) cache.set(analysis, (byOptions = new Map()));
  const key = JSON.stringify(options);
  let ev = byOptions.get(key);
  if (!ev) {
    const world = worldOf(analysis);
    const prev = last.get(key);
    ev = prev && sameWorld(world, prev.world) ? prev.ev : collectEvidence(analysis.files, analysis.model, options);
    byOptions.set(key, ev);
    last.set(key, { world, ev });
  }
  return ev;
}

/**
 * What evidence reads: every object but the policies (workloads, Services, ConfigMaps,
 * Ingresses, monitors, webhooks…), and the model's arrays its flows index into. A keystroke
 * in a policy keeps all of them (unchanged documents keep their objects; a policy-only edit
 * keeps the model's world arrays), so the last evidence stands: on 10,000 workloads it
 * costs 150 ms to collect, on every keystroke otherwise.
 */
interface World {
  /** Per file, its objects evidence reads (one array per loaded file: an unchanged file gives the same array). */
  readonly objects: readonly (readonly ManifestObject[])[];
  readonly arrays: readonly unknown[];
}

const objectsOfFile = new WeakMap<LoadedFile, readonly ManifestObject[]>();

function worldObjects(f: LoadedFile): readonly ManifestObject[] {
  let list = objectsOfFile.get(f);
  if (!list) objectsOfFile.set(f, (list = f.objects.filter((o) => o.kind !== 'NetworkPolicy' && clusterKindOf(o.apiVersion, o.kind) === undefined)));
  return list;
}

const last = new Map<string, { readonly world: World; readonly ev: Evidence }>();

function worldOf(analysis: Analysis): World {
  const objects = analysis.files.map(worldObjects);
  const m = analysis.model;
  return { objects, arrays: [m.workloads, m.services, m.ingresses, m.namespaces, m.defaultNamespace] };
}

function sameWorld(a: World, b: World): boolean {
  const same = (x: readonly unknown[], y: readonly unknown[]) => x === y || (x.length === y.length && x.every((v, i) => v === y[i]));
  // The same objects in the same order: file by file (an object belongs to its file), files without any left out.
  const filled = (x: World) => x.objects.filter((list) => list.length > 0);
  const fa = filled(a);
  const fb = filled(b);
  return fa.length === fb.length && fa.every((x, i) => same(x, fb[i])) && same(a.arrays, b.arrays);
}
