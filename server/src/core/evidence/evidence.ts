import { sameItems } from '../base/arrays';
import type { YAMLMap } from 'yaml';
import type { Protocol } from '../base/ports';
import type { Span } from '../base/span';
import type { LoadedFile, ManifestObject } from '../manifest/types';
import { readMeta as readWrittenMeta } from '../model/extract/common';
import { readSelector } from '../model/extract/selector';
import { makesPods, podTemplatePath } from '../model/extract/workload';
import type { Labels, Model, Service, ServicePort, Workload } from '../model/types';
import { selectorMatches } from '../reach/selectors';
import type { NodeReader } from '../yaml/nodes';
import { addressesIn, hostKeyPrefix, isSvcAddress, mayHoldCertainAddress, words, type AddressRef } from '../k8s/addresses';
import { parseIntent } from './intent';
import type { Evidence, EvidencedFlow, EvidenceKind, EvidenceNote, EvidenceOptions, FlowEnd, PeerKind, PodLocation } from './types';

/**
 * An object's metadata as its kustomization deploys it: the overlay's namespace (the analysis
 * reads every object where it lands). The name stays as written: the references a pod makes
 * (configMapRef, an address) are written against it, and kustomize renames both alike.
 */
function readMeta(o: ManifestObject): ReturnType<typeof readWrittenMeta> {
  const meta = readWrittenMeta(o);
  const ns = o.kustomize?.variant.namespace;
  return ns === undefined || ns === meta.namespace ? meta : { ...meta, namespace: ns };
}

/** The annotations that declare a flow no manifest shows (with a reason). */
export const ALLOW_FROM = 'netpol.studio/allow-from';
export const ALLOW_TO = 'netpol.studio/allow-to';

/** Keys whose value is an address: `…_HOST`, `…_ADDR`, `…_URL`, `…_ENDPOINT`… */
const ADDRESS_KEY = /HOST|ADDR|SERVER|SERVICE|ENDPOINT|URL|URI|BROKER|UPSTREAM/i;

/** The port an admission webhook or an APIService is called on when its Service reference names none. */
const WEBHOOK_DEFAULT_PORT = 443;

/** One string the pod reads, where it is written and how to say so. */
interface Value {
  readonly text: string;
  /** Where it is written (an anchored span: it follows its document when the file moves it). */
  readonly where: Span | undefined;
  readonly what: string;
  /** Its key (an env name, a ConfigMap key), for the `…HOST` + `…PORT` pairs. */
  readonly key?: string;
  /** The other values of the same env list or ConfigMap, by key. */
  readonly siblings?: ReadonlyMap<string, string>;
  /** A command line: `nc -z rabbitmq 5672` names a Service and its port in two words. */
  readonly command?: boolean;
}

interface ConfigMapData {
  /** Its namespace as written (undefined: the default namespace's). */
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly obj: ManifestObject;
  readonly entries: readonly { readonly key: string; readonly text: string; readonly where: Span | undefined }[];
  readonly byKey: ReadonlyMap<string, string>;
}

/**
 * The flows the manifests show (issue 21, section 1). Pure: reads the loaded files and
 * the model, never guesses a Service that is not in the workspace (it says so in a note).
 */
export function collectEvidence(files: readonly LoadedFile[], model: Model, options: EvidenceOptions, reuse: 'reuse' | 'fresh' = 'reuse'): Evidence {
  return new Collector(files, model, options, reuse === 'reuse').run();
}

/**
 * One workload's part of the evidence (its addresses; or its headless Service, annotations
 * and baseline), with what it read besides the workload itself: the namespaces whose
 * Services, workloads and ConfigMaps it looked at (each by its token, see NamespaceState),
 * the DNS Service, the RBAC objects. An edit of the world re-collects only the parts whose
 * reads changed: on 10,000 workloads, a label edit re-reads one namespace, not all of them.
 * The flows of a part are keyed (Collector.add) by an end that is its own workload, so no
 * two parts dedupe against each other and each keeps its own `seen`.
 */
interface Piece {
  readonly index: number;
  readonly flows: readonly EvidencedFlow[];
  readonly notes: readonly EvidenceNote[];
  /** The namespaces it read, each with its token then (checked on every collection: a plain list). */
  readonly namespaces: readonly (readonly [string, NamespaceState])[];
  /** The DNS Service it read (null: none). */
  readonly dns?: Service | null;
  readonly rbac?: RbacState;
}

/** What a part reads of a namespace: its Services, its workloads (with their indices) and ConfigMaps, and whether the model knows it. */
interface NamespaceState {
  readonly services: readonly Service[];
  readonly workloads: readonly number[];
  readonly workloadObjects: readonly Workload[];
  readonly configMaps: readonly ManifestObject[];
  readonly known: boolean;
}

interface RbacState {
  readonly objects: readonly ManifestObject[];
  readonly defaultNamespace: string;
}

const NO_READS: readonly (readonly [string, NamespaceState])[] = Object.freeze([]);

/** The last state of each namespace: an unchanged namespace keeps its object, which is then its token. */
const lastNamespaceStates = new Map<string, NamespaceState>();
let lastRbacState: RbacState | undefined;

/** The address part of each workload (it depends on no option). */
const addressPieces = new WeakMap<Workload, Piece>();
/** The rest (headless, annotations, baseline), per option set (by its slot: see optionSlot). */
const ownPieces = new WeakMap<Workload, (Piece | undefined)[]>();

/** A small number per option set (as JSON) met so far: a slot in each workload's list of parts. */
const optionSlots = new Map<string, number>();

function optionSlot(options: EvidenceOptions): number {
  const key = JSON.stringify(options);
  let slot = optionSlots.get(key);
  if (slot === undefined) optionSlots.set(key, (slot = optionSlots.size));
  return slot;
}


function sameNamespaceState(a: NamespaceState, b: NamespaceState): boolean {
  return a.known === b.known && sameItems(a.services, b.services) && sameItems(a.workloads, b.workloads) && sameItems(a.workloadObjects, b.workloadObjects) && sameItems(a.configMaps, b.configMaps);
}

/**
 * What a pod template reads, from its own YAML alone: kept per manifest object, so an edit
 * re-reads only the edited one. Spans, not syntax nodes: it is read while the loader has the
 * tree at hand (prepareEvidence), and keeps none of it alive.
 */
interface PodReads {
  /** env values, command and args. */
  readonly own: readonly Value[];
  readonly keyRefs: readonly { readonly configMap: string; readonly key: string; readonly env: string }[];
  readonly envFrom: readonly { readonly configMap: string; readonly prefix: string }[];
  readonly volumes: readonly string[];
  /** Whether its pods resolve names through the cluster DNS. */
  readonly clusterDns: boolean;
  /** The pods' ServiceAccount (`default` when unset) and whether the pod spec says to mount its token (undefined: the ServiceAccount decides, default yes). */
  readonly serviceAccount: string;
  readonly automount: boolean | undefined;
  /** The pod template's `openservicemesh.io/sidecar-injection` annotation, as written (Open Service Mesh reads it before its namespace's). */
  readonly osmInjection?: string;
  /** The workload's `netpol.studio/allow-from` and `allow-to` annotations, as written. */
  readonly intents: readonly { readonly key: string; readonly text: string; readonly where: Span | undefined }[];
  /** A StatefulSet's `spec.serviceName`, and where it is written. */
  readonly serviceName?: { readonly name: string; readonly where: Span | undefined };
}

/** What evidence reads of a Service's own YAML beyond the model: its type, externalIPs, whether it is headless. */
interface ServiceReads {
  readonly type?: string;
  readonly typeSpan?: Span;
  /** The `externalIPs` key, when the list is not empty. */
  readonly externalIPs?: Span;
  readonly headless: boolean;
}

const serviceReadsCache = new WeakMap<ManifestObject, ServiceReads>();

function serviceReads(o: ManifestObject): ServiceReads {
  let hit = serviceReadsCache.get(o);
  if (!hit) serviceReadsCache.set(o, (hit = readService(o)));
  return hit;
}

function readService(o: ManifestObject): ServiceReads {
  const r = o.reader;
  const spec = r.map(r.get(o.map, 'spec'));
  const typeNode = r.get(spec, 'type');
  const type = r.text(typeNode);
  const typeSpan = type === undefined ? undefined : r.span(typeNode);
  const ips = r.pair(spec, 'externalIPs');
  const externalIPs = ips && r.items(ips.value).length > 0 ? r.span(ips.key) : undefined;
  const headless = r.text(r.get(spec, 'clusterIP')) === 'None';
  return { ...(type !== undefined ? { type } : {}), ...(typeSpan ? { typeSpan } : {}), ...(externalIPs ? { externalIPs } : {}), headless };
}

/**
 * Reads what evidence needs of an object while its syntax tree is at hand: the analysis'
 * batch loader calls it before it lets the tree go, so collecting evidence later parses
 * nothing again (on 10,000 workloads, re-parsing them was most of its time).
 */
export function prepareEvidence(o: ManifestObject): void {
  if (o.kind === 'Service' && o.apiVersion === 'v1') serviceReads(o);
  else if (podTemplatePath(o.kind) || makesPods(o)) podReads(o);
  else if (isRbacObject(o)) rbacReads(o);
}

/** What the API-server baseline reads of a ServiceAccount or a (Cluster)RoleBinding. */
interface RbacReads {
  readonly name: string | undefined;
  /** The written namespace (a kustomization's included). */
  readonly namespace: string | undefined;
  readonly cluster: boolean;
  /** A ServiceAccount's automountServiceAccountToken. */
  readonly automount: boolean | undefined;
  /** A binding's ServiceAccount subjects. */
  readonly subjects: readonly { readonly name: string; readonly namespace: string | undefined; readonly where: Span | undefined }[];
}

function isRbacObject(o: ManifestObject): boolean {
  return (o.kind === 'ServiceAccount' && o.apiVersion === 'v1') || ((o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && o.apiVersion.startsWith('rbac.authorization.k8s.io/'));
}

const rbacReadsCache = new WeakMap<ManifestObject, RbacReads>();

function rbacReads(o: ManifestObject): RbacReads {
  let hit = rbacReadsCache.get(o);
  if (!hit) rbacReadsCache.set(o, (hit = readRbacObject(o)));
  return hit;
}

function readRbacObject(o: ManifestObject): RbacReads {
  const r = o.reader;
  const meta = readMeta(o);
  const cluster = o.kind === 'ClusterRoleBinding';
  const subjects: { name: string; namespace: string | undefined; where: Span | undefined }[] = [];
  if (o.kind !== 'ServiceAccount') {
    for (const item of r.items(r.get(o.map, 'subjects'))) {
      const subject = r.map(item);
      if (r.string(r.get(subject, 'kind')) !== 'ServiceAccount') continue;
      const name = r.string(r.get(subject, 'name'));
      if (name !== undefined) subjects.push({ name, namespace: r.string(r.get(subject, 'namespace')), where: r.span(subject) ?? o.span });
    }
  }
  const automount = o.kind === 'ServiceAccount' ? r.boolean(r.get(o.map, 'automountServiceAccountToken')) : undefined;
  return { name: meta.name, namespace: meta.namespace, cluster, automount, subjects };
}

const podReadsCache = new WeakMap<ManifestObject, PodReads | null>();

/** The annotation by which Open Service Mesh injects its sidecar into a pod (or its namespace's pods). */
export const OSM_INJECTION = 'openservicemesh.io/sidecar-injection';

/**
 * A workload's pods' identity as its template says it: the ServiceAccount (`serviceAccountName`,
 * else the deprecated `serviceAccount`, else `default`), whether they mount its token, and the
 * sidecar-injection annotation.
 * Undefined for a kind whose pod template is not known (an operator's).
 */
export function podIdentityOf(w: Workload): Pick<PodReads, 'serviceAccount' | 'automount' | 'osmInjection'> | undefined {
  const reads = w.sources.map((src) => podReads(src)).find((x) => x !== undefined);
  return reads && reads.serviceAccount !== '' ? reads : undefined;
}

function podReads(src: ManifestObject): PodReads | undefined {
  const hit = podReadsCache.get(src);
  if (hit !== undefined) return hit ?? undefined;
  const reads = readPod(src);
  podReadsCache.set(src, reads ?? null);
  return reads;
}

function readPod(src: ManifestObject): PodReads | undefined {
  const r = src.reader;
  const intents: { key: string; text: string; where: Span | undefined }[] = [];
  const annotations = r.map(r.get(r.map(r.get(src.map, 'metadata')), 'annotations'));
  for (const key of [ALLOW_FROM, ALLOW_TO]) {
    const node = r.get(annotations, key);
    const text = r.text(node);
    if (node && text !== undefined) intents.push({ key, text, where: r.span(node) });
  }
  const path = podTemplatePath(src.kind);
  // A workload whose template we do not know (an operator's kind): its annotations only.
  // (Its ServiceAccount is unknown too: no API-server baseline for it.)
  if (!path) return { own: [], keyRefs: [], envFrom: [], volumes: [], clusterDns: false, serviceAccount: '', automount: false, intents };
  let template: YAMLMap | undefined = src.map;
  for (const key of path) template = r.map(r.get(template, key));
  const spec = r.map(r.get(template, 'spec'));
  const own: Value[] = [];
  const keyRefs: { configMap: string; key: string; env: string }[] = [];
  const envFrom: { configMap: string; prefix: string }[] = [];
  const volumes = new Set<string>();
  for (const v of r.items(r.get(spec, 'volumes'))) {
    const cm = r.text(r.get(r.map(r.get(r.map(v), 'configMap')), 'name'));
    if (cm) volumes.add(cm);
  }
  for (const list of ['initContainers', 'containers']) {
    for (const c of r.items(r.get(spec, list))) {
      const cm = r.map(c);
      const cname = r.text(r.get(cm, 'name')) ?? '?';
      const env = r.items(r.get(cm, 'env')).map((e) => r.map(e));
      // The container's env by name (a `…_PORT` beside a `…_HOST`), made once a value is kept.
      let siblings: Map<string, string> | undefined;
      const siblingsOf = () => {
        if (!siblings) {
          siblings = new Map<string, string>();
          for (const e of env) {
            const name = r.text(r.get(e, 'name'));
            const value = r.text(r.get(e, 'value'));
            if (name !== undefined && value !== undefined) siblings.set(name, value);
          }
        }
        return siblings;
      };
      for (const e of env) {
        const name = r.text(r.get(e, 'name')) ?? '?';
        const node = r.get(e, 'value');
        const text = r.text(node);
        if (node && text !== undefined) {
          // Only a value addressFlows can read an address in is kept: a certain one, or a bare name under a key that names one.
          if (mayHoldCertainAddress(text) || ADDRESS_KEY.test(name)) own.push({ text, where: r.span(node), what: `env ${name}`, key: name, siblings: siblingsOf() });
          continue;
        }
        const ref = r.map(r.get(r.map(r.get(e, 'valueFrom')), 'configMapKeyRef'));
        const configMap = r.text(r.get(ref, 'name'));
        const key = r.text(r.get(ref, 'key'));
        if (configMap && key !== undefined) keyRefs.push({ configMap, key, env: name });
      }
      for (const e of r.items(r.get(cm, 'envFrom'))) {
        const configMap = r.text(r.get(r.map(r.get(r.map(e), 'configMapRef')), 'name'));
        if (configMap) envFrom.push({ configMap, prefix: r.text(r.get(r.map(e), 'prefix')) ?? '' });
      }
      for (const field of ['command', 'args']) {
        r.items(r.get(cm, field)).forEach((item, i) => {
          const text = r.text(item);
          if (text !== undefined) own.push({ text, where: r.span(item), what: `container ${cname} ${field}[${i}]`, command: true });
        });
      }
    }
  }
  const dnsPolicy = r.string(r.get(spec, 'dnsPolicy'));
  const hostNetwork = r.boolean(r.get(spec, 'hostNetwork')) === true;
  const clusterDns = dnsPolicy !== 'Default' && dnsPolicy !== 'None' && (!hostNetwork || dnsPolicy === 'ClusterFirstWithHostNet');
  const serviceAccount = r.string(r.get(spec, 'serviceAccountName')) ?? r.string(r.get(spec, 'serviceAccount')) ?? 'default';
  const automount = r.boolean(r.get(spec, 'automountServiceAccountToken'));
  const osmInjection = r.text(r.get(r.map(r.get(r.map(r.get(template, 'metadata')), 'annotations')), OSM_INJECTION));
  let serviceName: PodReads['serviceName'];
  if (src.kind === 'StatefulSet') {
    const node = r.get(r.map(r.get(src.map, 'spec')), 'serviceName');
    const name = r.text(node);
    if (name) serviceName = { name, where: r.span(node) };
  }
  return { own, keyRefs, envFrom, volumes: [...volumes], clusterDns, serviceAccount, automount, intents, ...(serviceName ? { serviceName } : {}), ...(osmInjection !== undefined ? { osmInjection } : {}) };
}

class Collector {
  private flows: EvidencedFlow[] = [];
  private notes: EvidenceNote[] = [];
  private seen = new Set<string>();
  private readonly services = new Map<string, Map<string, Service>>();
  private readonly servicesByNamespace = new Map<string, Service[]>();
  private readonly configMaps = new Map<string, ConfigMapData>();
  private readonly configMapsByNamespace = new Map<string, ManifestObject[]>();
  /** The objects evidence reads beyond the model, by what they are (see objectsOf). */
  private readonly routeObjects: ManifestObject[] = [];
  private readonly callerObjects: ManifestObject[] = [];
  private readonly rbacObjects: ManifestObject[] = [];
  private readonly workloadsByNamespace = new Map<string, number[]>();
  private readonly targetCache = new Map<ServicePort, { index: number; port: number }[]>();
  /** The cluster DNS Service of the workspace (null: not looked up yet). */
  private dnsService: Service | undefined | null = null;
  /** Each namespace's token in this collection (see NamespaceState). */
  private readonly namespaceTokens = new Map<string, NamespaceState>();
  private rbacToken: RbacState | undefined;
  /** What the part being collected reads (undefined: none is). */
  private reads: { namespaces: Map<string, NamespaceState>; dns?: Service | null; rbac?: RbacState } | undefined;

  constructor(
    readonly files: readonly LoadedFile[],
    readonly model: Model,
    readonly options: EvidenceOptions,
    /** Whether the parts of earlier collections whose reads are the same are taken as they are. */
    private readonly reuse = true,
  ) {
    for (const s of model.services) {
      let byName = this.services.get(s.namespace);
      if (!byName) this.services.set(s.namespace, (byName = new Map()));
      if (!byName.has(s.name)) byName.set(s.name, s);
      const list = this.servicesByNamespace.get(s.namespace);
      if (list) list.push(s);
      else this.servicesByNamespace.set(s.namespace, [s]);
    }
    model.workloads.forEach((w, i) => {
      const list = this.workloadsByNamespace.get(w.namespace);
      if (list) list.push(i);
      else this.workloadsByNamespace.set(w.namespace, [i]);
    });
    for (const f of files) {
      const kinds = objectsOf(f);
      for (const o of kinds.configMaps) this.addConfigMap(o);
      for (const o of kinds.routes) this.routeObjects.push(o);
      for (const o of kinds.callers) this.callerObjects.push(o);
      for (const o of kinds.rbac) this.rbacObjects.push(o);
    }
  }

  /** A namespace's token: the same object while its Services, workloads (and their indices), ConfigMaps and being known are the same. */
  private namespaceToken(ns: string): NamespaceState {
    let token = this.namespaceTokens.get(ns);
    if (token) return token;
    const workloads = this.workloadsByNamespace.get(ns) ?? [];
    const state: NamespaceState = {
      services: this.servicesByNamespace.get(ns) ?? [],
      workloads,
      workloadObjects: workloads.map((i) => this.model.workloads[i]),
      configMaps: this.configMapsByNamespace.get(ns) ?? [],
      known: this.model.namespaces.has(ns),
    };
    const last = lastNamespaceStates.get(ns);
    token = last && sameNamespaceState(last, state) ? last : state;
    lastNamespaceStates.set(ns, token);
    this.namespaceTokens.set(ns, token);
    return token;
  }

  /** Records that the part being collected reads a namespace. */
  private read(ns: string): void {
    const reads = this.reads;
    if (reads && !reads.namespaces.has(ns)) reads.namespaces.set(ns, this.namespaceToken(ns));
  }

  private rbacState(): RbacState {
    if (!this.rbacToken) {
      const state: RbacState = { objects: this.rbacObjects, defaultNamespace: this.model.defaultNamespace };
      const last = lastRbacState;
      this.rbacToken = last && last.defaultNamespace === state.defaultNamespace && sameItems(last.objects, state.objects) ? last : state;
      lastRbacState = this.rbacToken;
    }
    return this.rbacToken;
  }

  /** Whether a part collected before holds here: the same index, and everything it read the same. */
  private holds(piece: Piece, index: number): boolean {
    if (piece.index !== index) return false;
    const reads = piece.namespaces;
    for (let i = 0; i < reads.length; i++) if (this.namespaceToken(reads[i][0]) !== reads[i][1]) return false;
    if (piece.dns !== undefined && piece.dns !== (this.dnsServiceOf() ?? null)) return false;
    return piece.rbac === undefined || piece.rbac === this.rbacState();
  }

  /** Runs `collect` as one workload's part, with its own flows, notes and reads. */
  private piece(index: number, collect: () => void): Piece {
    const outer = { flows: this.flows, notes: this.notes, seen: this.seen };
    this.flows = [];
    this.notes = [];
    this.seen = new Set();
    const reads = (this.reads = { namespaces: new Map<string, NamespaceState>() } as NonNullable<Collector['reads']>);
    try {
      collect();
      return { index, flows: this.flows, notes: this.notes, namespaces: reads.namespaces.size === 0 ? NO_READS : [...reads.namespaces], ...(reads.dns !== undefined ? { dns: reads.dns } : {}), ...(reads.rbac ? { rbac: reads.rbac } : {}) };
    } finally {
      this.reads = undefined;
      ({ flows: this.flows, notes: this.notes, seen: this.seen } = outer);
    }
  }

  /** The address part of each workload, taken from the last collection where it holds. */
  private addressParts(): Piece[] {
    return this.model.workloads.map((w, i) => {
      const hit = this.reuse ? addressPieces.get(w) : undefined;
      if (hit && this.holds(hit, i)) return hit;
      const piece = this.piece(i, () => this.podValues(w, i));
      if (this.reuse) addressPieces.set(w, piece);
      return piece;
    });
  }

  /** The rest of each workload's part (headless, annotations, the baseline), likewise, per option set. */
  private ownParts(): Piece[] {
    const slot = optionSlot(this.options);
    return this.model.workloads.map((w, i) => {
      let bySlot = this.reuse ? ownPieces.get(w) : undefined;
      const hit = bySlot?.[slot];
      if (hit && this.holds(hit, i)) return hit;
      const piece = this.piece(i, () => {
        this.headless(w, i);
        this.intents(w, i);
        if (this.options.baseline.dns) this.dns(w, i);
        if (this.options.baseline.apiServer) this.apiAccess(w, i);
      });
      if (this.reuse) {
        if (!bySlot) ownPieces.set(w, (bySlot = []));
        bySlot[slot] = piece;
      }
      return piece;
    });
  }

  run(): Evidence {
    const addresses = this.addressParts();
    this.ingresses();
    this.routes();
    this.exposed();
    for (const o of this.callerObjects) {
      if (o.apiVersion.startsWith('monitoring.coreos.com/')) {
        if (o.kind === 'ServiceMonitor') this.serviceMonitor(o);
        else if (o.kind === 'PodMonitor') this.podMonitor(o);
      } else if ((o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration') && o.apiVersion.startsWith('admissionregistration.k8s.io/')) this.webhooks(o);
      else if (o.kind === 'APIService' && o.apiVersion.startsWith('apiregistration.k8s.io/')) this.apiService(o);
    }
    const own = this.ownParts();
    // In the order a single pass gives: every workload's addresses, the routes and the cluster's callers, then what each workload says of itself.
    const flows: EvidencedFlow[] = [];
    const notes: EvidenceNote[] = [];
    const append = (p: { readonly flows: readonly EvidencedFlow[]; readonly notes: readonly EvidenceNote[] }) => {
      for (const f of p.flows) flows.push(f);
      for (const n of p.notes) notes.push(n);
    };
    for (const p of addresses) append(p);
    append({ flows: this.flows, notes: this.notes });
    for (const p of own) append(p);
    return { flows, notes };
  }

  // ---- the model's objects

  private service(namespace: string, name: string): Service | undefined {
    this.read(namespace);
    return this.services.get(namespace)?.get(name);
  }

  /** The cluster DNS Service of the workspace, if any. */
  private dnsServiceOf(): Service | undefined {
    const loc = this.options.dns;
    if (this.dnsService === null) this.dnsService = this.model.services.find((s) => s.namespace === loc.namespace && s.selector !== undefined && matchesLabels(s.selector, loc.labels) && s.ports.some((p) => p.port === 53));
    return this.dnsService;
  }

  private workloadEnd(index: number): FlowEnd {
    return { type: 'workload', index, workload: this.model.workloads[index] };
  }

  private peer(peer: PeerKind, where?: PodLocation): FlowEnd {
    return where ? { type: 'peer', peer, namespace: where.namespace, labels: where.labels } : { type: 'peer', peer };
  }

  private add(src: FlowEnd, dst: FlowEnd, protocol: Protocol, port: number, kind: EvidenceKind, where: Span | undefined, what: string, service?: EvidencedFlow['service']): void {
    if (!where) return;
    const key = `${endKey(src)}>${endKey(dst)}>${protocol}/${port}>${kind}>${where.file}:${where.start}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.flows.push({ src, dst, protocol, port, kind, where, what, ...(service ? { service } : {}) });
  }

  private note(message: string, span: Span | undefined, unresolved?: EvidenceNote['unresolved']): void {
    if (span) this.notes.push({ message, span, ...(unresolved ? { unresolved } : {}) });
  }

  /** Workloads whose pods a Service selects, with the pod port a Service port delivers to. */
  private targets(svc: Service, sp: ServicePort): { index: number; port: number }[] {
    if (!svc.selector) return [];
    this.read(svc.namespace);
    const hit = this.targetCache.get(sp);
    if (hit) return hit;
    const sel = svc.selector;
    const keys = Object.keys(sel);
    const out: { index: number; port: number }[] = [];
    for (const index of this.workloadsByNamespace.get(svc.namespace) ?? []) {
      for (const pod of this.model.workloads[index].pods) {
        if (!keys.every((k) => pod.labels[k] === sel[k])) continue;
        const tp = sp.targetPort ?? sp.port;
        const port = typeof tp === 'number' ? tp : pod.ports.find((p) => p.name === tp && p.protocol === sp.protocol)?.port;
        if (port !== undefined) out.push({ index, port });
        break;
      }
    }
    this.targetCache.set(sp, out);
    return out;
  }

  /** Flows from `src` through a Service's ports (all of them when `ports` is undefined). */
  private through(src: FlowEnd, svc: Service, ports: readonly ServicePort[] | undefined, kind: EvidenceKind, where: Span | undefined, what: string): number {
    let n = 0;
    for (const sp of ports ?? svc.ports) {
      for (const t of this.targets(svc, sp)) {
        this.add(src, this.workloadEnd(t.index), sp.protocol, t.port, kind, where, what, { namespace: svc.namespace, name: svc.name, port: sp.port });
        n++;
      }
    }
    return n;
  }

  // ---- addresses in what the pod reads

  private addConfigMap(o: ManifestObject): void {
    const data = configMapData(o);
    if (!data.name) return;
    const ns = data.namespace ?? this.model.defaultNamespace;
    const list = this.configMapsByNamespace.get(ns);
    if (list) list.push(o);
    else this.configMapsByNamespace.set(ns, [o]);
    const id = `${ns}/${data.name}`;
    if (!this.configMaps.has(id)) this.configMaps.set(id, data);
  }

  private podValues(w: Workload, index: number): void {
    for (const src of w.sources) {
      const reads = podReads(src);
      if (!reads) continue;
      const values: Value[] = [...reads.own];
      const cm = (name: string) => {
        this.read(w.namespace);
        return this.configMaps.get(`${w.namespace}/${name}`);
      };
      for (const ref of reads.keyRefs) {
        const data = cm(ref.configMap);
        const entry = data?.entries.find((x) => x.key === ref.key);
        if (data && entry) values.push({ text: entry.text, where: entry.where, what: `ConfigMap ${w.namespace}/${ref.configMap} key ${ref.key} (env ${ref.env})`, key: ref.key, siblings: data.byKey });
      }
      for (const ref of reads.envFrom) {
        const data = cm(ref.configMap);
        for (const e of data?.entries ?? []) values.push({ text: e.text, where: e.where, what: `ConfigMap ${w.namespace}/${ref.configMap} key ${e.key} (envFrom${ref.prefix ? ` ${ref.prefix}` : ''})`, key: e.key, siblings: data!.byKey });
      }
      for (const name of reads.volumes) {
        const data = cm(name);
        for (const e of data?.entries ?? []) values.push({ text: e.text, where: e.where, what: `ConfigMap ${w.namespace}/${name} key ${e.key} (volume)`, key: e.key, siblings: data!.byKey });
      }
      this.addressFlows(index, values);
    }
  }

  private addressFlows(index: number, values: readonly Value[]): void {
    const w = this.model.workloads[index];
    const src = this.workloadEnd(index);
    for (const v of values) {
      const where = v.where;
      // A bare name is an address only as the whole value of a key that names one (`REDIS_HOST: redis`), not `DB_NAME: orders`.
      const bare = v.key !== undefined && ADDRESS_KEY.test(v.key);
      const refs: AddressRef[] = addressesIn(v.text).filter((ref) => ref.certain || (bare && ref.text === v.text.trim()));
      if (v.command) refs.push(...this.commandRefs(v.text, w.namespace));
      for (const ref of refs) this.resolveRef(src, w.namespace, ref, v, where);
    }
  }

  /** `nc -zv rabbitmq 5672`: a word that names a Service of the namespace, followed by one of its ports. */
  private commandRefs(text: string, namespace: string): AddressRef[] {
    const ws = words(text);
    const out: AddressRef[] = [];
    for (let i = 0; i + 1 < ws.length; i++) {
      const svc = this.service(namespace, ws[i]);
      const port = /^\d{1,5}$/.test(ws[i + 1]) ? Number(ws[i + 1]) : undefined;
      if (svc && port !== undefined && svc.ports.some((p) => p.port === port)) out.push({ name: ws[i], port, portWritten: true, certain: true, text: `${ws[i]} ${ws[i + 1]}` });
    }
    return out;
  }

  private resolveRef(src: FlowEnd, fromNs: string, ref: AddressRef, v: Value, where: Span | undefined): void {
    const ns = ref.namespace ?? fromNs;
    // `a.b` without `.svc` is a Service only in a namespace we know; otherwise a host outside.
    this.read(ns);
    if (ref.namespace !== undefined && !this.model.namespaces.has(ns) && !isSvcAddress(ref.text)) return;
    const svc = this.service(ns, ref.name);
    if (!svc) {
      const from = src.type === 'workload' ? src.index : -1;
      if (ref.certain) this.note(`${v.what} refers to ${ref.text}, but no Service ${ns}/${ref.name} is in the workspace: its flow is not evidenced (nothing is guessed).`, where, { from, namespace: ns, name: ref.name, ...(ref.port !== undefined ? { port: ref.port } : {}) });
      return;
    }
    let ports: ServicePort[];
    if (ref.port !== undefined) {
      ports = svc.ports.filter((p) => p.port === ref.port);
      if (ports.length === 0 && ref.portWritten) {
        this.note(`${v.what} refers to ${ref.text}, but Service ${ns}/${svc.name} has no port ${ref.port}: its flow is not evidenced.`, where);
        return;
      }
      // A scheme's default port the Service does not have: its only port is meant.
      if (ports.length === 0) ports = [...svc.ports];
    } else {
      const sibling = this.siblingPort(v);
      ports = sibling !== undefined && svc.ports.some((p) => p.port === sibling) ? svc.ports.filter((p) => p.port === sibling) : [...svc.ports];
    }
    this.through(src, svc, ports, 'address', where, v.what);
  }

  /** `ORDER_QUEUE_HOSTNAME: rabbitmq` beside `ORDER_QUEUE_PORT: "5672"`. */
  private siblingPort(v: Value): number | undefined {
    if (!v.key || !v.siblings) return undefined;
    const prefix = hostKeyPrefix(v.key);
    if (prefix === undefined) return undefined;
    const text = v.siblings.get(`${prefix}PORT`) ?? v.siblings.get(`${prefix}port`);
    return text !== undefined && /^\d{1,5}$/.test(text.trim()) ? Number(text.trim()) : undefined;
  }

  // ---- routes from outside the pods of the workspace

  private ingresses(): void {
    const src = this.peer('ingress-controller', this.options.ingressController);
    for (const ing of this.model.ingresses) {
      for (const b of ing.backends) {
        const svc = this.service(ing.namespace, b.service);
        const what = `${ing.kind} ${ing.namespace}/${ing.name} backend ${b.service}${b.port !== undefined ? `:${b.port}` : ''}`;
        if (!svc) {
          this.note(`${what}: no Service ${ing.namespace}/${b.service} is in the workspace: its flow is not evidenced.`, b.span);
          continue;
        }
        this.through(src, svc, b.port === undefined ? undefined : svc.ports.filter((p) => p.port === b.port || p.name === b.port), 'ingress', b.span, what);
      }
    }
  }

  /** Gateway API routes: from the gateway's pods (where the ingress controller is assumed) to each backendRef. */
  private routes(): void {
    const src = this.peer('ingress-controller', this.options.ingressController);
    for (const o of this.routeObjects) {
      const r = o.reader;
      const meta = readMeta(o);
      const ns = meta.namespace ?? this.model.defaultNamespace;
      for (const rule of r.items(r.get(r.map(r.get(o.map, 'spec')), 'rules'))) {
        for (const ref of r.items(r.get(r.map(rule), 'backendRefs'))) {
          const m = r.map(ref);
          const kind = r.text(r.get(m, 'kind')) ?? 'Service';
          const name = r.text(r.get(m, 'name'));
          if (kind !== 'Service' || !name) continue;
          const refNs = r.text(r.get(m, 'namespace')) ?? ns;
          const port = r.number(r.get(m, 'port'));
          const what = `${o.kind} ${ns}/${meta.name} backendRef ${name}${port !== undefined ? `:${port}` : ''}`;
          const svc = this.service(refNs, name);
          if (!svc) {
            this.note(`${what}: no Service ${refNs}/${name} is in the workspace: its flow is not evidenced.`, r.span(m));
            continue;
          }
          this.through(src, svc, port === undefined ? undefined : svc.ports.filter((p) => p.port === port), 'ingress', r.span(m), what);
        }
      }
    }
  }

  private exposed(): void {
    const src = this.peer('external');
    for (const svc of this.model.services) {
      if (!svc.source) continue;
      const { type, typeSpan, externalIPs } = serviceReads(svc.source);
      if (type === 'LoadBalancer' || type === 'NodePort') this.through(src, svc, undefined, 'exposed', typeSpan, `Service ${svc.namespace}/${svc.name} type ${type}`);
      if (externalIPs) this.through(src, svc, undefined, 'exposed', externalIPs, `Service ${svc.namespace}/${svc.name} externalIPs`);
    }
  }

  private serviceMonitor(o: ManifestObject): void {
    const r = o.reader;
    const meta = readMeta(o);
    const ns = meta.namespace ?? this.model.defaultNamespace;
    const spec = r.map(r.get(o.map, 'spec'));
    const selector = readSelector(r, r.get(spec, 'selector'));
    const inNs = this.monitoredNamespaces(r, spec, ns);
    const src = this.peer('prometheus', this.options.prometheus);
    r.items(r.get(spec, 'endpoints')).forEach((ep, i) => {
      const m = r.map(ep);
      const portName = r.text(r.get(m, 'port'));
      const targetPort = r.get(m, 'targetPort');
      const where = r.span(r.get(m, 'port') ?? targetPort ?? m);
      for (const svc of this.model.services) {
        if (!inNs(svc.namespace) || !svc.source || !selectorMatches(selector, readMeta(svc.source).labels)) continue;
        const what = `ServiceMonitor ${ns}/${meta.name} endpoints[${i}]`;
        if (portName !== undefined) this.through(src, svc, svc.ports.filter((p) => p.name === portName), 'monitor', where, what);
        else {
          const tp = r.number(targetPort) ?? r.text(targetPort);
          if (tp !== undefined) this.through(src, svc, svc.ports.map((p) => ({ ...p, targetPort: tp })).slice(0, 1), 'monitor', where, what);
        }
      }
    });
  }

  private podMonitor(o: ManifestObject): void {
    const r = o.reader;
    const meta = readMeta(o);
    const ns = meta.namespace ?? this.model.defaultNamespace;
    const spec = r.map(r.get(o.map, 'spec'));
    const selector = readSelector(r, r.get(spec, 'selector'));
    const inNs = this.monitoredNamespaces(r, spec, ns);
    const src = this.peer('prometheus', this.options.prometheus);
    r.items(r.get(spec, 'podMetricsEndpoints')).forEach((ep, i) => {
      const m = r.map(ep);
      const portNode = r.get(m, 'port') ?? r.get(m, 'targetPort');
      const port = r.number(portNode) ?? r.text(portNode);
      if (port === undefined) return;
      this.model.workloads.forEach((w, index) => {
        if (!inNs(w.namespace)) return;
        for (const pod of w.pods) {
          if (!selectorMatches(selector, pod.labels)) continue;
          const cp = pod.ports.find((p) => p.name === port || p.port === port);
          if (cp) this.add(src, this.workloadEnd(index), cp.protocol, cp.port, 'monitor', r.span(portNode), `PodMonitor ${ns}/${meta.name} podMetricsEndpoints[${i}]`);
          return;
        }
      });
    });
  }

  /** A monitor's namespaceSelector: `any: true`, `matchNames`, else its own namespace. */
  private monitoredNamespaces(r: NodeReader, spec: YAMLMap | undefined, own: string): (ns: string) => boolean {
    const sel = r.map(r.get(spec, 'namespaceSelector'));
    if (r.boolean(r.get(sel, 'any')) === true) return () => true;
    const names = r.items(r.get(sel, 'matchNames')).map((n) => r.text(n));
    if (names.length > 0) return (ns) => names.includes(ns);
    return (ns) => ns === own;
  }

  private webhooks(o: ManifestObject): void {
    const r = o.reader;
    const meta = readMeta(o);
    r.items(r.get(o.map, 'webhooks')).forEach((wh, i) => {
      const ref = r.map(r.get(r.map(r.get(r.map(wh), 'clientConfig')), 'service'));
      if (ref) this.controlPlaneCall(r, ref, `${o.kind} ${meta.name} webhooks[${i}]`, 'webhook');
    });
  }

  private apiService(o: ManifestObject): void {
    const r = o.reader;
    const ref = r.map(r.get(r.map(r.get(o.map, 'spec')), 'service'));
    if (ref) this.controlPlaneCall(r, ref, `APIService ${readMeta(o).name}`, 'api-service');
  }

  /** A Service reference the API server calls (`namespace`, `name`, `port` defaulting to 443). */
  private controlPlaneCall(r: NodeReader, ref: YAMLMap, what: string, kind: EvidenceKind): void {
    const ns = r.text(r.get(ref, 'namespace'));
    const name = r.text(r.get(ref, 'name'));
    if (!ns || !name) return;
    const port = r.number(r.get(ref, 'port')) ?? WEBHOOK_DEFAULT_PORT;
    const svc = this.service(ns, name);
    const where = r.span(ref);
    if (!svc) {
      this.note(`${what} calls Service ${ns}/${name}, which is not in the workspace: its flow is not evidenced.`, where);
      return;
    }
    this.through(this.peer('control-plane'), svc, svc.ports.filter((p) => p.port === port), kind, where, what);
  }

  // ---- what a workload says of itself

  /** A StatefulSet's members talk to each other through its headless Service (`serviceName`). */
  private headless(w: Workload, index: number): void {
    if (w.kind !== 'StatefulSet') return;
    for (const o of w.sources) {
      const ref = podReads(o)?.serviceName;
      const svc = ref ? this.service(w.namespace, ref.name) : undefined;
      if (!ref || !svc?.source || !serviceReads(svc.source).headless) continue;
      const self = this.workloadEnd(index);
      for (const sp of svc.ports) {
        for (const t of this.targets(svc, sp)) if (t.index === index) this.add(self, self, sp.protocol, t.port, 'headless', ref.where, `StatefulSet ${w.namespace}/${w.name} serviceName ${svc.name} (headless)`, { namespace: svc.namespace, name: svc.name, port: sp.port });
      }
    }
  }

  private intents(w: Workload, index: number): void {
    for (const o of w.sources) {
      for (const { key, text, where } of podReads(o)?.intents ?? []) {
        const intent = parseIntent(text);
        if ('error' in intent) {
          this.note(`${key} on ${w.namespace}/${w.name}: ${intent.error}`, where);
          continue;
        }
        for (const e of intent.endpoints) {
          const what = `${key} (${intent.reason})`;
          let other: FlowEnd | undefined;
          let ports: { protocol: Protocol; port: number }[] = [];
          if (e.name === 'external') other = this.peer('external');
          else {
            const ns = e.namespace ?? w.namespace;
            this.read(ns);
            const oi = this.model.workloads.findIndex((x) => x.namespace === ns && x.name === e.name);
            if (oi < 0) {
              this.note(`${key} on ${w.namespace}/${w.name} names ${ns}/${e.name}, which is no workload of the workspace: its flow is not evidenced.`, where);
              continue;
            }
            other = this.workloadEnd(oi);
          }
          const dst = key === ALLOW_TO ? other : this.workloadEnd(index);
          const src = key === ALLOW_TO ? this.workloadEnd(index) : other;
          if (e.port !== undefined) ports = [{ protocol: e.protocol, port: e.port }];
          else if (dst.type === 'workload') ports = dst.workload.pods.flatMap((p) => p.ports.map((cp) => ({ protocol: cp.protocol, port: cp.port })));
          if (ports.length === 0) this.note(`${key} on ${w.namespace}/${w.name}: ${e.name} needs a port (the destination declares none).`, where);
          for (const p of ports) this.add(src, dst, p.protocol, p.port, 'annotation', where, what);
        }
      }
    }
  }

  /**
   * The baseline: a pod that mounts a service-account token, whose ServiceAccount a
   * RoleBinding or ClusterRoleBinding grants rules, calls the API server (the `kubernetes`
   * Service, 443; its endpoints are the control plane's addresses, which no manifest says).
   * The evidence is the binding's subject.
   */
  private apiAccess(w: Workload, index: number): void {
    const reads = podIdentityOf(w);
    if (!reads) return;
    if (this.reads) this.reads.rbac = this.rbacState();
    const bindings = (this.rbac ??= this.readRbac());
    const key = `${w.namespace}/${reads.serviceAccount}`;
    const binding = bindings.bindings.get(key);
    if (!binding) return;
    // The pod's own field wins over its ServiceAccount's; both unset: mounted.
    if ((reads.automount ?? bindings.automount.get(key) ?? true) === false) return;
    const what = `${binding.what} binds ServiceAccount ${key}, whose token the pods mount: the API server (Service default/kubernetes:443; its endpoints may listen on 6443)`;
    this.add(this.workloadEnd(index), this.peer('control-plane'), 'TCP', 443, 'api-access', binding.where, what, { namespace: 'default', name: 'kubernetes', port: 443 });
  }

  private rbac: { bindings: Map<string, { what: string; where: Span | undefined }>; automount: Map<string, boolean> } | undefined;

  /** ServiceAccounts (ns/name) that a binding names, with the first binding; and their automountServiceAccountToken. */
  private readRbac(): { bindings: Map<string, { what: string; where: Span | undefined }>; automount: Map<string, boolean> } {
    const bindings = new Map<string, { what: string; where: Span | undefined }>();
    const automount = new Map<string, boolean>();
    for (const o of this.rbacObjects) {
      const x = rbacReads(o);
      const ns = x.namespace ?? this.model.defaultNamespace;
      if (x.automount !== undefined && x.name !== undefined) automount.set(`${ns}/${x.name}`, x.automount);
      for (const subject of x.subjects) {
        // A RoleBinding's ServiceAccount subject without a namespace is the binding's own; a ClusterRoleBinding's must say it.
        const subjectNs = subject.namespace ?? (x.cluster ? undefined : ns);
        if (subjectNs === undefined) continue;
        const key = `${subjectNs}/${subject.name}`;
        if (!bindings.has(key)) bindings.set(key, { what: x.cluster ? `ClusterRoleBinding ${x.name ?? '?'}` : `RoleBinding ${ns}/${x.name ?? '?'}`, where: subject.where });
      }
    }
    return { bindings, automount };
  }

  /** The baseline: every pod that resolves names through the cluster DNS reaches it on 53, UDP and TCP. */
  private dns(w: Workload, index: number): void {
    const usesClusterDns = w.sources.some((src) => podReads(src)?.clusterDns === true);
    if (!usesClusterDns) return;
    const where = w.span;
    const loc = this.options.dns;
    // The DNS Service of the workspace, when there is one, says its pods' target ports.
    const svc = this.dnsServiceOf();
    if (this.reads) this.reads.dns = svc ?? null;
    const src = this.workloadEnd(index);
    if (svc && this.through(src, svc, svc.ports.filter((p) => p.port === 53), 'dns', where, 'baseline: DNS') > 0) return;
    const dst = this.peer('dns', loc);
    this.add(src, dst, 'UDP', 53, 'dns', where, 'baseline: DNS');
    this.add(src, dst, 'TCP', 53, 'dns', where, 'baseline: DNS');
  }
}

/** A file's objects that evidence reads beyond the model, by what they are, in file order. */
interface FileObjects {
  readonly configMaps: readonly ManifestObject[];
  /** Gateway API routes. */
  readonly routes: readonly ManifestObject[];
  /** Monitors, webhook configurations and APIServices: who calls the pods from outside the workspace's workloads. */
  readonly callers: readonly ManifestObject[];
  readonly rbac: readonly ManifestObject[];
}

const fileObjects = new WeakMap<LoadedFile, FileObjects>();

/** Sorted once per loaded file (an unchanged file keeps it): a collection walks these, not every object of the workspace. */
function objectsOf(f: LoadedFile): FileObjects {
  let hit = fileObjects.get(f);
  if (hit) return hit;
  const out = { configMaps: [] as ManifestObject[], routes: [] as ManifestObject[], callers: [] as ManifestObject[], rbac: [] as ManifestObject[] };
  for (const o of f.objects) {
    if (o.kind === 'ConfigMap' && o.apiVersion === 'v1') out.configMaps.push(o);
    else if ((o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute' || o.kind === 'TCPRoute' || o.kind === 'TLSRoute') && o.apiVersion.startsWith('gateway.networking.k8s.io/')) out.routes.push(o);
    else if (
      (o.apiVersion.startsWith('monitoring.coreos.com/') && (o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')) ||
      ((o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration') && o.apiVersion.startsWith('admissionregistration.k8s.io/')) ||
      (o.kind === 'APIService' && o.apiVersion.startsWith('apiregistration.k8s.io/'))
    )
      out.callers.push(o);
    else if (isRbacObject(o)) out.rbac.push(o);
  }
  fileObjects.set(f, (hit = out));
  return hit;
}

const configMapCache = new WeakMap<ManifestObject, ConfigMapData>();

/** A ConfigMap's name, written namespace and data, read once per object. */
function configMapData(o: ManifestObject): ConfigMapData {
  let hit = configMapCache.get(o);
  if (hit) return hit;
  const r = o.reader;
  const meta = readMeta(o);
  const data = r.map(r.get(o.map, 'data'));
  const entries: { key: string; text: string; where: Span | undefined }[] = [];
  const byKey = new Map<string, string>();
  for (const item of data?.items ?? []) {
    const key = r.keyString(item);
    const node = r.resolve(item.value);
    const text = r.text(node);
    if (key === undefined || !node || text === undefined) continue;
    entries.push({ key, text, where: r.span(node) });
    byKey.set(key, text);
  }
  configMapCache.set(o, (hit = { namespace: meta.namespace, name: meta.name, obj: o, entries, byKey }));
  return hit;
}

/** Whether a Service's selector and a location's labels say the same pods (one holds the other). */
function matchesLabels(selector: Labels, labels: Labels): boolean {
  return Object.keys(labels).every((k) => selector[k] === labels[k]) || Object.keys(selector).every((k) => labels[k] === selector[k]);
}

export function endKey(e: FlowEnd): string {
  return e.type === 'workload' ? `w${e.index}` : `p:${e.peer}`;
}

/** `ns/name` of a workload end, or the peer in words. */
export function endName(e: FlowEnd): string {
  if (e.type === 'workload') return `${e.workload.namespace}/${e.workload.name}`;
  switch (e.peer) {
    case 'external':
      return '{outside the cluster}';
    case 'ingress-controller':
      return '{ingress controller}';
    case 'prometheus':
      return '{prometheus}';
    case 'control-plane':
      return '{control plane}';
    case 'dns':
      return '{cluster DNS}';
  }
}
