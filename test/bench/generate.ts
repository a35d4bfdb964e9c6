/**
 * Deterministic generator of synthetic but realistic Kubernetes workspaces for the
 * benchmark: namespaces with team/environment labels, Deployments and StatefulSets with
 * app/tier labels and named container ports, a Service per workload, and per namespace a
 * default-deny ingress policy, an egress policy (DNS, in-cluster peers, ipBlocks) and
 * per-service allow policies (pod, namespace, namespace+pod peers; numeric and named
 * ports). Everything is in-memory `{ path, text }` files; the same spec and seed always
 * give the same bytes.
 *
 * Per namespace i, workload j (j % 10 decides the role):
 *   0 web (frontend), 1 2 3 5 7 9 api (backend), 4 worker, 6 db (StatefulSet), 8 cache
 *   (StatefulSet). Namespaces come in teams of 5 (`team` label); `environment` cycles
 *   prod/staging/dev.
 * Policies of namespace i, in order (the first k are emitted, k = its share of P):
 *   default-deny-ingress, an egress policy, allow-<app> for each workload, then extra
 *   allow policies (monitoring probes, office VPN ipBlocks) cycling over the workloads.
 * Infrastructure (optional, no policies, so P stays exact): kube-system/coredns,
 * monitoring/prometheus, ingress-nginx/controller.
 */

export interface GeneratedFile {
  readonly path: string;
  readonly text: string;
}

export interface WorkspaceSpec {
  readonly namespaces: number;
  readonly workloadsPerNamespace: number;
  /** Exact total number of NetworkPolicies. Default: the natural count (2 + W per namespace). */
  readonly policies?: number;
  readonly seed?: number;
  /**
   * Number of files the namespaces are spread over (round-robin, whole namespaces).
   * Default: two files per namespace (`<ns>/workloads.yaml`, `<ns>/policies.yaml`).
   */
  readonly files?: number;
  /** kube-system/coredns, monitoring/prometheus, ingress-nginx controller. Default true. */
  readonly infra?: boolean;
  /** One Ingress per namespace to its first web Service. Default true. */
  readonly ingresses?: boolean;
  /** Cluster-level policies (ClusterNetworkPolicy, AdminNetworkPolicy, one BaselineAdminNetworkPolicy) in cluster/policies.yaml. Default 0. */
  readonly clusterPolicies?: number;
}

export interface WorkspaceCounts {
  namespaces: number;
  workloads: number;
  services: number;
  policies: number;
  ingresses: number;
  documents: number;
  files: number;
  lines: number;
  bytes: number;
}

export interface GeneratedWorkspace {
  readonly files: GeneratedFile[];
  readonly counts: WorkspaceCounts;
}

/** mulberry32: a tiny, fast, seedable PRNG (deterministic across platforms). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Role = 'web' | 'api' | 'worker' | 'db' | 'cache';
const ROLE_BY_DIGIT: readonly Role[] = ['web', 'api', 'api', 'api', 'worker', 'api', 'db', 'api', 'cache', 'api'];
const TIER: Record<Role, string> = { web: 'frontend', api: 'backend', worker: 'worker', db: 'database', cache: 'cache' };
const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;
const PRIVATE_EXCEPT = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

function role(j: number): Role {
  return ROLE_BY_DIGIT[j % 10];
}

function appName(j: number): string {
  return `${role(j)}-${j}`;
}

function nsName(i: number): string {
  return `tenant-${String(i).padStart(4, '0')}`;
}

function team(i: number): string {
  return `team-${Math.floor(i / 5)}`;
}

function env(i: number): string {
  return ENVIRONMENTS[i % 3];
}

interface PortDef {
  readonly name: string;
  readonly port: number;
  readonly protocol?: 'UDP';
}

function containerPorts(r: Role): PortDef[] {
  switch (r) {
    case 'web':
      return [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }];
    case 'api':
      return [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9000 }, { name: 'metrics', port: 9090 }];
    case 'worker':
      return [{ name: 'metrics', port: 9090 }];
    case 'db':
      return [{ name: 'postgres', port: 5432 }, { name: 'metrics', port: 9187 }];
    case 'cache':
      return [{ name: 'redis', port: 6379 }, { name: 'metrics', port: 9121 }];
  }
}

const IMAGES: Record<Role, string> = {
  web: 'registry.example.com/shop/web',
  api: 'registry.example.com/shop/api',
  worker: 'registry.example.com/shop/worker',
  db: 'docker.io/library/postgres',
  cache: 'docker.io/library/redis',
};

function namespaceDoc(i: number): string {
  return [
    'apiVersion: v1',
    'kind: Namespace',
    'metadata:',
    `  name: ${nsName(i)}`,
    '  labels:',
    `    team: ${team(i)}`,
    `    environment: ${env(i)}`,
    '    istio-injection: disabled',
  ].join('\n');
}

function workloadDoc(i: number, j: number, rand: () => number): string {
  const r = role(j);
  const app = appName(j);
  const ns = nsName(i);
  const stateful = r === 'db' || r === 'cache';
  const ports = containerPorts(r);
  const version = `v${1 + Math.floor(rand() * 3)}`;
  const tag = `${1 + Math.floor(rand() * 3)}.${Math.floor(rand() * 20)}.${Math.floor(rand() * 10)}`;
  const replicas = stateful ? 3 : 1 + Math.floor(rand() * 5);
  const probePort = ports[0].name;
  const lines = [
    'apiVersion: apps/v1',
    `kind: ${stateful ? 'StatefulSet' : 'Deployment'}`,
    'metadata:',
    `  name: ${app}`,
    `  namespace: ${ns}`,
    '  labels:',
    `    app: ${app}`,
    `    tier: ${TIER[r]}`,
    '    app.kubernetes.io/part-of: shop',
    '    app.kubernetes.io/managed-by: kustomize',
    '  annotations:',
    `    deployment.kubernetes.io/revision: "${1 + Math.floor(rand() * 9)}"`,
    'spec:',
    `  replicas: ${replicas}`,
    ...(stateful ? [`  serviceName: ${app}`] : []),
    '  selector:',
    '    matchLabels:',
    `      app: ${app}`,
    ...(stateful
      ? ['  updateStrategy:', '    type: RollingUpdate']
      : ['  strategy:', '    type: RollingUpdate', '    rollingUpdate:', '      maxSurge: 25%', '      maxUnavailable: 0']),
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${app}`,
    `        tier: ${TIER[r]}`,
    `        version: ${version}`,
    '        app.kubernetes.io/part-of: shop',
    '      annotations:',
    '        prometheus.io/scrape: "true"',
    `        prometheus.io/port: "${ports[ports.length - 1].port}"`,
    '    spec:',
    `      serviceAccountName: ${app}`,
    '      containers:',
    `        - name: ${r}`,
    `          image: ${IMAGES[r]}:${tag}`,
    '          imagePullPolicy: IfNotPresent',
    '          ports:',
  ];
  for (const p of ports) {
    lines.push(`            - name: ${p.name}`, `              containerPort: ${p.port}`);
    if (p.protocol) lines.push(`              protocol: ${p.protocol}`);
  }
  lines.push(
    '          env:',
    '            - name: LOG_LEVEL',
    `              value: ${rand() < 0.8 ? 'info' : 'debug'}`,
    '            - name: POD_NAMESPACE',
    '              valueFrom:',
    '                fieldRef:',
    '                  fieldPath: metadata.namespace',
    '          resources:',
    '            requests:',
    `              cpu: ${50 * (1 + Math.floor(rand() * 4))}m`,
    `              memory: ${64 * (1 + Math.floor(rand() * 8))}Mi`,
    '            limits:',
    '              cpu: "1"',
    `              memory: ${256 * (1 + Math.floor(rand() * 4))}Mi`,
    '          securityContext:',
    '            runAsNonRoot: true',
    '            allowPrivilegeEscalation: false',
    '            readOnlyRootFilesystem: true',
    '          readinessProbe:',
    ...(r === 'web' || r === 'api'
      ? ['            httpGet:', '              path: /healthz', `              port: ${probePort}`]
      : ['            tcpSocket:', `              port: ${probePort}`]),
    '            periodSeconds: 10',
    '          livenessProbe:',
    '            tcpSocket:',
    `              port: ${probePort}`,
    '            initialDelaySeconds: 15',
    '            failureThreshold: 3',
  );
  if (stateful) {
    lines.push(
      '          volumeMounts:',
      '            - name: data',
      `              mountPath: /var/lib/${r}`,
      '  volumeClaimTemplates:',
      '    - metadata:',
      '        name: data',
      '      spec:',
      '        accessModes: ["ReadWriteOnce"]',
      '        resources:',
      '          requests:',
      `            storage: ${1 + Math.floor(rand() * 50)}Gi`,
    );
  }
  return lines.join('\n');
}

function serviceDoc(i: number, j: number): string {
  const r = role(j);
  const app = appName(j);
  const lines = [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${app}`,
    `  namespace: ${nsName(i)}`,
    '  labels:',
    `    app: ${app}`,
    'spec:',
    ...(r === 'db' || r === 'cache' ? ['  clusterIP: None'] : []),
    '  selector:',
    `    app: ${app}`,
    '  ports:',
  ];
  for (const p of containerPorts(r)) {
    if (p.name === 'metrics') continue;
    // Web/API Services expose port 80 → named target; data stores keep their numbers.
    const port = p.name === 'http' ? 80 : p.port;
    const target = p.name === 'http' || p.name === 'grpc' ? p.name : String(p.port);
    lines.push(`    - name: ${p.name}`, `      port: ${port}`, `      targetPort: ${target}`);
  }
  if (r === 'worker') lines.push('    - name: metrics', '      port: 9090', '      targetPort: metrics');
  return lines.join('\n');
}

function ingressDoc(i: number): string {
  const ns = nsName(i);
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: web',
    `  namespace: ${ns}`,
    'spec:',
    '  ingressClassName: nginx',
    '  rules:',
    `    - host: ${ns}.example.com`,
    '      http:',
    '        paths:',
    '          - path: /',
    '            pathType: Prefix',
    '            backend:',
    '              service:',
    `                name: ${appName(0)}`,
    '                port:',
    '                  name: http',
  ].join('\n');
}

function policyHeader(i: number, name: string): string[] {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${nsName(i)}`,
    '  labels:',
    '    app.kubernetes.io/managed-by: netpol-studio-bench',
  ];
}

const MONITORING_RULE = [
  '    - from:',
  '        - namespaceSelector:',
  '            matchLabels:',
  '              kubernetes.io/metadata.name: monitoring',
  '          podSelector:',
  '            matchLabels:',
  '              app.kubernetes.io/name: prometheus',
  '      ports:',
  '        - port: metrics',
];

const DNS_RULE = [
  '    - to:',
  '        - namespaceSelector:',
  '            matchLabels:',
  '              kubernetes.io/metadata.name: kube-system',
  '          podSelector:',
  '            matchLabels:',
  '              k8s-app: kube-dns',
  '      ports:',
  '        - protocol: UDP',
  '          port: 53',
  '        - protocol: TCP',
  '          port: 53',
];

const INTERNET_HTTPS_RULE = [
  '    - to:',
  '        - ipBlock:',
  '            cidr: 0.0.0.0/0',
  '            except:',
  ...PRIVATE_EXCEPT.map((c) => `              - ${c}`),
  '      ports:',
  '        - protocol: TCP',
  '          port: 443',
];

function defaultDenyDoc(i: number): string {
  return [...policyHeader(i, 'default-deny-ingress'), 'spec:', '  podSelector: {}', '  policyTypes:', '    - Ingress'].join('\n');
}

function egressDoc(i: number): string {
  if (i % 2 === 0) {
    // Backends: DNS, the namespace's data stores, same-team backends, an external
    // database network and the internet over HTTPS.
    return [
      ...policyHeader(i, 'restrict-backend-egress'),
      'spec:',
      '  podSelector:',
      '    matchLabels:',
      '      tier: backend',
      '  policyTypes:',
      '    - Egress',
      '  egress:',
      ...DNS_RULE,
      '    - to:',
      '        - podSelector:',
      '            matchExpressions:',
      '              - key: tier',
      '                operator: In',
      '                values: [database, cache]',
      '      ports:',
      '        - port: 5432',
      '        - port: 6379',
      '    - to:',
      '        - namespaceSelector:',
      '            matchLabels:',
      `              team: ${team(i)}`,
      '          podSelector:',
      '            matchLabels:',
      '              tier: backend',
      '      ports:',
      '        - port: grpc',
      '        - port: http',
      '    - to:',
      '        - ipBlock:',
      `            cidr: 10.${100 + (i % 8)}.0.0/16`,
      '      ports:',
      '        - port: 5432',
      ...INTERNET_HTTPS_RULE,
    ].join('\n');
  }
  // Every pod: DNS, its own namespace, its team's namespaces, the internet over HTTPS.
  return [
    ...policyHeader(i, 'default-egress'),
    'spec:',
    '  podSelector: {}',
    '  policyTypes:',
    '    - Egress',
    '  egress:',
    ...DNS_RULE,
    '    - to:',
    '        - podSelector: {}',
    '    - to:',
    '        - namespaceSelector:',
    '            matchLabels:',
    `              team: ${team(i)}`,
    ...INTERNET_HTTPS_RULE,
  ].join('\n');
}

function allowDoc(i: number, j: number, w: number): string {
  const r = role(j);
  const app = appName(j);
  const block = j - (j % 10);
  const head = [...policyHeader(i, `allow-${app}`), 'spec:', '  podSelector:', '    matchLabels:', `      app: ${app}`, '  policyTypes:', '    - Ingress', '  ingress:'];
  const rules: string[] = [];
  switch (r) {
    case 'web':
      rules.push(
        '    - from:',
        '        - namespaceSelector:',
        '            matchLabels:',
        '              kubernetes.io/metadata.name: ingress-nginx',
        '          podSelector:',
        '            matchLabels:',
        '              app.kubernetes.io/name: ingress-nginx',
        '      ports:',
        '        - port: http',
      );
      break;
    case 'api': {
      // The caller of the same API in the team's other namespaces (prod/staging only).
      const peer = appName(j + 2 < w && role(j + 2) === 'api' ? j + 2 : j);
      rules.push(
        '    - from:',
        '        - podSelector:',
        '            matchLabels:',
        '              tier: frontend',
        '      ports:',
        '        - port: http',
        '        - protocol: TCP',
        '          port: 9000',
        '    - from:',
        '        - namespaceSelector:',
        '            matchLabels:',
        `              team: ${team(i)}`,
        '            matchExpressions:',
        '              - key: environment',
        '                operator: In',
        '                values: [prod, staging]',
        '          podSelector:',
        '            matchLabels:',
        `              app: ${peer}`,
        '      ports:',
        '        - port: grpc',
      );
      break;
    }
    case 'worker':
      break;
    case 'db':
      rules.push(
        '    - from:',
        '        - podSelector:',
        '            matchLabels:',
        '              tier: backend',
        '            matchExpressions:',
        '              - key: app',
        '                operator: In',
        `                values: [${[1, 2, 3].map((d) => appName(block + d)).join(', ')}]`,
        '      ports:',
        '        - protocol: TCP',
        '          port: 5432',
      );
      break;
    case 'cache':
      rules.push(
        '    - from:',
        '        - podSelector:',
        '            matchExpressions:',
        '              - key: tier',
        '                operator: In',
        '                values: [backend, worker]',
        '      ports:',
        '        - port: 6379',
      );
      break;
  }
  return [...head, ...rules, ...MONITORING_RULE].join('\n');
}

/** Extra policies beyond the natural set: blackbox probes and office VPN access. */
function extraDoc(i: number, m: number, w: number): string {
  const j = m % w;
  const app = appName(j);
  const head = [...policyHeader(i, `allow-${app}-extra-${m}`), 'spec:', '  podSelector:', '    matchLabels:', `      app: ${app}`, '  ingress:'];
  const port = containerPorts(role(j))[0].name;
  if (m % 2 === 0) {
    return [
      ...head,
      '    - from:',
      '        - namespaceSelector:',
      '            matchLabels:',
      '              kubernetes.io/metadata.name: monitoring',
      '          podSelector:',
      '            matchLabels:',
      '              app.kubernetes.io/name: blackbox-exporter',
      '      ports:',
      `        - port: ${port}`,
    ].join('\n');
  }
  return [
    ...head,
    '    - from:',
    '        - ipBlock:',
    `            cidr: 192.168.${m % 4}.0/24`,
    '      ports:',
    `        - port: ${port}`,
  ].join('\n');
}

function policyDocs(i: number, count: number, w: number): string[] {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    if (k === 0) out.push(defaultDenyDoc(i));
    else if (k === 1) out.push(egressDoc(i));
    else if (k - 2 < w) out.push(allowDoc(i, k - 2, w));
    else out.push(extraDoc(i, k - 2 - w, w));
  }
  return out;
}

function infraDocs(): string[] {
  const ns = (name: string) => ['apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: ${name}`].join('\n');
  const deploy = (name: string, namespace: string, labels: Record<string, string>, ports: PortDef[]) =>
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      `  name: ${name}`,
      `  namespace: ${namespace}`,
      'spec:',
      '  selector:',
      '    matchLabels:',
      ...Object.entries(labels).map(([k, v]) => `      ${k}: ${v}`),
      '  template:',
      '    metadata:',
      '      labels:',
      ...Object.entries(labels).map(([k, v]) => `        ${k}: ${v}`),
      '    spec:',
      '      containers:',
      `        - name: ${name}`,
      `          image: registry.example.com/${name}:1.0.0`,
      '          ports:',
      ...ports.flatMap((p) => [`            - name: ${p.name}`, `              containerPort: ${p.port}`, ...(p.protocol ? [`              protocol: ${p.protocol}`] : [])]),
    ].join('\n');
  return [
    ns('kube-system'),
    deploy('coredns', 'kube-system', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53 }]),
    ns('monitoring'),
    deploy('prometheus', 'monitoring', { 'app.kubernetes.io/name': 'prometheus' }, [{ name: 'web', port: 9090 }]),
    ns('ingress-nginx'),
    deploy('ingress-nginx-controller', 'ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx' }, [{ name: 'http', port: 80 }, { name: 'https', port: 443 }]),
  ];
}

function joinDocs(docs: readonly string[]): string {
  return docs.map((d) => `---\n${d}\n`).join('');
}

function countLines(text: string): number {
  let n = 0;
  for (let p = text.indexOf('\n'); p !== -1; p = text.indexOf('\n', p + 1)) n++;
  return n;
}

/** Policies of namespace i when P are spread evenly over N namespaces. */
function policyShare(spec: WorkspaceSpec, i: number): number {
  const natural = 2 + spec.workloadsPerNamespace;
  if (spec.policies === undefined) return natural;
  const n = spec.namespaces;
  return Math.floor(spec.policies / n) + (i < spec.policies % n ? 1 : 0);
}

/** The documents of namespace i: [workload-side docs, policy docs]. */
function namespaceDocs(spec: WorkspaceSpec, i: number, rand: () => number): { workloads: string[]; policies: string[]; ingresses: number } {
  const w = spec.workloadsPerNamespace;
  const workloads = [namespaceDoc(i)];
  for (let j = 0; j < w; j++) workloads.push(workloadDoc(i, j, rand), serviceDoc(i, j));
  let ingresses = 0;
  if ((spec.ingresses ?? true) && w > 0) {
    workloads.push(ingressDoc(i));
    ingresses = 1;
  }
  return { workloads, policies: policyDocs(i, policyShare(spec, i), w), ingresses };
}

export function generateWorkspace(spec: WorkspaceSpec): GeneratedWorkspace {
  const rand = rng(spec.seed ?? 42);
  const n = spec.namespaces;
  const w = spec.workloadsPerNamespace;
  const files: GeneratedFile[] = [];
  const counts: WorkspaceCounts = { namespaces: n, workloads: n * w, services: n * w, policies: 0, ingresses: 0, documents: 0, files: 0, lines: 0, bytes: 0 };
  const add = (path: string, docs: readonly string[]) => {
    if (docs.length === 0) return;
    const text = joinDocs(docs);
    files.push({ path, text });
    counts.documents += docs.length;
  };
  if (spec.infra ?? true) {
    add('infra/cluster.yaml', infraDocs());
    counts.namespaces += 3;
    counts.workloads += 3;
  }
  const groups = spec.files !== undefined ? Math.max(1, Math.min(spec.files, n)) : 0;
  const grouped: string[][] = Array.from({ length: groups }, () => []);
  for (let i = 0; i < n; i++) {
    const d = namespaceDocs(spec, i, rand);
    counts.policies += d.policies.length;
    counts.ingresses += d.ingresses;
    if (groups > 0) {
      grouped[i % groups].push(...d.workloads, ...d.policies);
    } else {
      add(`${nsName(i)}/workloads.yaml`, d.workloads);
      add(`${nsName(i)}/policies.yaml`, d.policies);
    }
  }
  grouped.forEach((docs, g) => add(`manifests/part-${String(g).padStart(3, '0')}.yaml`, docs));
  if (spec.clusterPolicies) add('cluster/policies.yaml', clusterPolicyDocs(spec.clusterPolicies, n));
  counts.files = files.length;
  for (const f of files) {
    counts.lines += countLines(f.text);
    counts.bytes += f.text.length;
  }
  return { files, counts };
}

export interface MultiDocFile {
  readonly file: GeneratedFile;
  readonly documents: number;
  readonly lines: number;
}

/**
 * ONE multi-document YAML file for the editor benchmark: namespaces' objects in
 * order (Namespace, Deployment/StatefulSet + Service pairs, Ingress, policies) until
 * `documents` documents (default 800, about 34k lines).
 */
export function generateMultiDocFile(documents = 800, seed = 7): MultiDocFile {
  const rand = rng(seed);
  const spec: WorkspaceSpec = { namespaces: 1_000_000, workloadsPerNamespace: 20, seed };
  const docs: string[] = [];
  for (let i = 0; docs.length < documents; i++) {
    const d = namespaceDocs(spec, i, rand);
    docs.push(...d.workloads, ...d.policies);
  }
  docs.length = documents;
  const text = joinDocs(docs);
  return { file: { path: 'big/all-in-one.yaml', text }, documents, lines: countLines(text) };
}

/**
 * An editor-like change in document `index` (0-based) of a `---`-separated file: renames
 * the object (`metadata.name`), so the document's text changes and nothing else does.
 */
export function editDocument(text: string, index: number, suffix: string): string {
  const start = documentSeparator(text, index);
  const nameAt = text.indexOf('\n  name: ', start);
  if (nameAt === -1) throw new Error(`document ${index} has no metadata.name`);
  const eol = text.indexOf('\n', nameAt + 1);
  return `${text.slice(0, eol)}${suffix}${text.slice(eol)}`;
}

/**
 * An edit that changes what a policy allows: the document after the `index`-th `---`
 * gets its first rule port replaced by 65000 (a named port too), so the flows through
 * that rule are closed on the old port and opened on the new one. Documents without a
 * port are renamed instead (editDocument).
 */
export function editPolicyPort(text: string, index: number, suffix: string): string {
  const start = documentSeparator(text, index);
  const next = text.indexOf('\n---\n', start + 4);
  const end = next === -1 ? text.length : next;
  const m = /\n(\s+- port: )([^\n]+)/.exec(text.slice(start, end));
  if (!m) return editDocument(text, index, suffix);
  const at = start + m.index + 1 + m[1].length;
  return `${text.slice(0, at)}65000${text.slice(at + m[2].length)}`;
}

/** Offset of the `index`-th (0-based) `---` line: the document after it is document index + 1. */
function documentSeparator(text: string, index: number): number {
  let start = -1;
  for (let k = 0, p = 0; k <= index; k++) {
    start = text.indexOf('---\n', p);
    if (start === -1) throw new Error(`document ${index} not found`);
    p = start + 4;
  }
  return start;
}

/**
 * Cluster-level policies as platform teams write them, cycling over four shapes: a
 * team's guard rail (Pass within the team, Deny from dev), production databases closed
 * to staging (and the metadata endpoint closed to them), dev namespaces' egress (Accept
 * DNS, Pass the rest), a Baseline deny of low ports; the last one is the
 * BaselineAdminNetworkPolicy.
 */
function clusterPolicyDocs(count: number, namespaces: number): string[] {
  const teams = Math.max(1, Math.ceil(namespaces / 5));
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const t = `team-${k % teams}`;
    if (k === count - 1) {
      out.push(
        [
          'apiVersion: policy.networking.k8s.io/v1alpha1',
          'kind: BaselineAdminNetworkPolicy',
          'metadata: {name: default}',
          'spec:',
          '  subject: {namespaces: {}}',
          '  ingress:',
          '  - {name: deny-dev, action: Deny, from: [{namespaces: {matchLabels: {environment: dev}}}]}',
        ].join('\n'),
      );
    } else if (k % 4 === 0) {
      out.push(
        [
          'apiVersion: policy.networking.k8s.io/v1alpha2',
          'kind: ClusterNetworkPolicy',
          `metadata: {name: guard-${t}-${k}}`,
          'spec:',
          '  tier: Admin',
          `  priority: ${k}`,
          `  subject: {namespaces: {matchLabels: {team: ${t}}}}`,
          '  ingress:',
          `  - {name: same-team, action: Pass, from: [{namespaces: {matchLabels: {team: ${t}}}}]}`,
          '  - {name: deny-dev, action: Deny, from: [{namespaces: {matchLabels: {environment: dev}}}]}',
        ].join('\n'),
      );
    } else if (k % 4 === 1) {
      out.push(
        [
          'apiVersion: policy.networking.k8s.io/v1alpha1',
          'kind: AdminNetworkPolicy',
          `metadata: {name: protect-db-${k}}`,
          'spec:',
          `  priority: ${k}`,
          '  subject: {pods: {namespaceSelector: {matchLabels: {environment: prod}}, podSelector: {matchLabels: {tier: data}}}}',
          '  ingress:',
          '  - {name: deny-staging, action: Deny, from: [{namespaces: {matchLabels: {environment: staging}}}], ports: [{portRange: {protocol: TCP, start: 1, end: 65535}}]}',
          '  egress:',
          '  - {name: no-metadata, action: Deny, to: [{networks: [169.254.169.254/32]}]}',
        ].join('\n'),
      );
    } else if (k % 4 === 2) {
      out.push(
        [
          'apiVersion: policy.networking.k8s.io/v1alpha2',
          'kind: ClusterNetworkPolicy',
          `metadata: {name: dev-egress-${k}}`,
          'spec:',
          '  tier: Admin',
          `  priority: ${k}`,
          `  subject: {namespaces: {matchLabels: {environment: dev, team: ${t}}}}`,
          '  egress:',
          '  - name: dns',
          '    action: Accept',
          '    to: [{pods: {namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}}]',
          '    protocols: [{udp: {destinationPort: {number: 53}}}, {tcp: {destinationPort: {number: 53}}}]',
          '  - {name: rest, action: Pass, to: [{namespaces: {}}]}',
        ].join('\n'),
      );
    } else {
      out.push(
        [
          'apiVersion: policy.networking.k8s.io/v1alpha2',
          'kind: ClusterNetworkPolicy',
          `metadata: {name: baseline-low-ports-${k}}`,
          'spec:',
          '  tier: Baseline',
          `  priority: ${k}`,
          `  subject: {namespaces: {matchLabels: {team: ${t}}}}`,
          '  ingress:',
          '  - name: low-ports',
          '    action: Deny',
          '    from: [{namespaces: {}}]',
          '    protocols: [{tcp: {destinationPort: {range: {start: 1, end: 1023}}}}]',
        ].join('\n'),
      );
    }
  }
  return out;
}
