/**
 * Deterministic generator of a cluster dump as
 * `kubectl get pods,replicasets,deployments,services,namespaces,networkpolicies -A -o yaml`
 * prints it (issue 15 §3): ONE `apiVersion: v1, kind: List` whose items come kind by kind
 * in that order, each kind sorted by namespace and name, keys in alphabetical order
 * (kubectl marshals through JSON), sequences not indented under their key.
 *
 * Objects carry the server-set fields kubectl prints: uid, resourceVersion,
 * creationTimestamp, generation, generateName, ownerReferences, the defaulted spec fields
 * (dnsPolicy, schedulerName, terminationMessagePath, the projected service account volume,
 * the not-ready/unreachable tolerations) and status (conditions, containerStatuses, hostIP,
 * podIP/podIPs, qosClass). `metadata.managedFields` is left out, as kubectl (1.21 and later)
 * prints it by default (`--show-managed-fields=false`).
 *
 * Per namespace: 10 Deployments with 50 replicas in all (10, 8, 6, 5, 5, 4, 4, 3, 3, 2),
 * each with its current ReplicaSet (`<deploy>-<pod-template-hash>`, owned by the
 * Deployment) and, for every other Deployment, an old one scaled to 0 (revision history);
 * Pods `<rs>-<5 chars>` owned by the current ReplicaSet with the template's labels plus
 * `pod-template-hash`; a Service per Deployment; 10 NetworkPolicies (a default deny, an
 * egress policy with DNS, in-namespace, team and internet-over-HTTPS rules, and an allow
 * policy for each of the first 8 Deployments: pod, namespace and namespace+pod peers,
 * named and numeric ports, ipBlocks of the office VPN and of the node network).
 * Namespaces 0–2 are kube-system (CoreDNS), monitoring (Prometheus) and ingress-nginx
 * (the controller): their first Deployment carries the labels the policies select.
 *
 * Sizes: `pods` (a multiple of 50) gives pods/50 namespaces and pods/5 policies:
 * 1k → 20 namespaces, 200 policies; 100k → 2,000 namespaces, 20,000 policies.
 */
import { rng } from './generate';

export interface DumpSpec {
  /** Pods in all; a multiple of 50 (50 per namespace). */
  readonly pods: number;
  readonly seed?: number;
}

export interface DumpCounts {
  pods: number;
  replicaSets: number;
  deployments: number;
  services: number;
  namespaces: number;
  policies: number;
  bytes: number;
  lines: number;
}

const REPLICAS = [10, 8, 6, 5, 5, 4, 4, 3, 3, 2];
const PODS_PER_NAMESPACE = REPLICAS.reduce((a, b) => a + b, 0);
const POLICIES_PER_NAMESPACE = 10;
/** The characters Kubernetes' rand.SafeEncodeString uses (no vowels, no look-alikes). */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';
const NODES = 500;

type Role = 'web' | 'api' | 'worker' | 'db' | 'cache';
const ROLES: readonly Role[] = ['web', 'api', 'api', 'worker', 'db', 'cache', 'api', 'api', 'worker', 'web'];
const PORTS: Record<Role, readonly { name: string; port: number }[]> = {
  web: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }],
  api: [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9000 }, { name: 'metrics', port: 9090 }],
  worker: [{ name: 'metrics', port: 9090 }],
  db: [{ name: 'postgres', port: 5432 }, { name: 'metrics', port: 9187 }],
  cache: [{ name: 'redis', port: 6379 }, { name: 'metrics', port: 9121 }],
};
const TIER: Record<Role, string> = { web: 'frontend', api: 'backend', worker: 'worker', db: 'database', cache: 'cache' };

interface NamespaceInfo {
  readonly name: string;
  readonly labels: Record<string, string>;
}

function namespaceInfo(i: number): NamespaceInfo {
  const infra = ['kube-system', 'monitoring', 'ingress-nginx'][i];
  const name = infra ?? `tenant-${String(i).padStart(4, '0')}`;
  const labels: Record<string, string> = { 'kubernetes.io/metadata.name': name };
  if (!infra) {
    labels.environment = ['prod', 'staging', 'dev'][i % 3];
    labels.team = `team-${Math.floor(i / 5)}`;
  }
  return { name, labels };
}

interface AppInfo {
  readonly name: string;
  readonly role: Role;
  readonly labels: Record<string, string>;
  readonly replicas: number;
  readonly hash: string;
  readonly oldHash?: string;
  readonly uid: string;
  readonly rsUid: string;
}

/** Labels the infrastructure policies select, on the first Deployment of namespaces 0–2. */
const INFRA_LABELS: readonly Record<string, string>[] = [{ 'k8s-app': 'kube-dns' }, { 'app.kubernetes.io/name': 'prometheus' }, { 'app.kubernetes.io/name': 'ingress-nginx' }];

/** Writes the dump through `write` (chunks of text) and returns what it holds. */
export function generateClusterDump(spec: DumpSpec, write: (chunk: string) => void): DumpCounts {
  if (spec.pods % PODS_PER_NAMESPACE !== 0 || spec.pods <= 0) throw new Error(`pods must be a positive multiple of ${PODS_PER_NAMESPACE}`);
  const rand = rng(spec.seed ?? 15);
  const namespaces = spec.pods / PODS_PER_NAMESPACE;
  const counts: DumpCounts = { pods: 0, replicaSets: 0, deployments: 0, services: 0, namespaces, policies: 0, bytes: 0, lines: 0 };
  const out = (lines: string[]) => {
    const text = lines.join('\n') + '\n';
    counts.bytes += text.length;
    counts.lines += lines.length;
    write(text);
  };
  const chars = (n: number, alphabet = SAFE) => {
    let s = '';
    for (let k = 0; k < n; k++) s += alphabet[Math.floor(rand() * alphabet.length)];
    return s;
  };
  const uid = () => `${chars(8, '0123456789abcdef')}-${chars(4, '0123456789abcdef')}-4${chars(3, '0123456789abcdef')}-a${chars(3, '0123456789abcdef')}-${chars(12, '0123456789abcdef')}`;
  let resourceVersion = 1000;
  const rv = () => String((resourceVersion += 1 + Math.floor(rand() * 50)));
  const nsInfos = Array.from({ length: namespaces }, (_, i) => namespaceInfo(i));
  // kubectl sorts each kind by namespace, then name.
  const order = nsInfos.map((n, i) => ({ n, i })).sort((a, b) => (a.n.name < b.n.name ? -1 : a.n.name > b.n.name ? 1 : 0));
  const apps: AppInfo[][] = nsInfos.map((_, i) =>
    REPLICAS.map((replicas, j) => {
      const role = ROLES[j];
      const name = `${role}-${j}`;
      const labels: Record<string, string> = { app: name, 'app.kubernetes.io/part-of': 'shop', tier: TIER[role], ...(j === 0 && i < 3 ? INFRA_LABELS[i] : {}) };
      return { name, role, labels, replicas, hash: chars(10), ...(j % 2 === 1 ? { oldHash: chars(10) } : {}), uid: uid(), rsUid: uid() };
    }),
  );
  const created = (k: number) => `2026-11-${String(1 + (k % 28)).padStart(2, '0')}T${String(k % 24).padStart(2, '0')}:${String(k % 60).padStart(2, '0')}:${String((k * 7) % 60).padStart(2, '0')}Z`;

  out(['apiVersion: v1', 'items:']);
  // Pods.
  let podNumber = 0;
  for (const { n, i } of order) {
    const rows: { app: AppInfo; name: string }[] = [];
    for (const app of apps[i]) for (let r = 0; r < app.replicas; r++) rows.push({ app, name: `${app.name}-${app.hash}-${chars(5)}` });
    rows.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const { app, name } of rows) {
      const k = podNumber++;
      const podIp = `10.${244 + Math.floor(k / 65024)}.${Math.floor((k % 65024) / 254)}.${1 + (k % 254)}`;
      const node = k % NODES;
      const hostIp = `10.0.${Math.floor(node / 250)}.${10 + (node % 250)}`;
      out(podLines(n.name, name, app, podIp, hostIp, `node-${String(node).padStart(3, '0')}`, uid(), rv(), created(k)));
      counts.pods++;
    }
  }
  // ReplicaSets: the current one of each Deployment, and an old one scaled to 0.
  for (const { n, i } of order) {
    const sets: { app: AppInfo; hash: string; replicas: number; rsUid: string }[] = [];
    for (const app of apps[i]) {
      sets.push({ app, hash: app.hash, replicas: app.replicas, rsUid: app.rsUid });
      if (app.oldHash) sets.push({ app, hash: app.oldHash, replicas: 0, rsUid: uid() });
    }
    sets.sort((a, b) => (`${a.app.name}-${a.hash}` < `${b.app.name}-${b.hash}` ? -1 : 1));
    for (const s of sets) {
      out(replicaSetLines(n.name, s.app, s.hash, s.replicas, s.rsUid, rv(), created(counts.replicaSets)));
      counts.replicaSets++;
    }
  }
  // Deployments.
  for (const { n, i } of order) {
    for (const app of [...apps[i]].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      out(deploymentLines(n.name, app, rv(), created(counts.deployments)));
      counts.deployments++;
    }
  }
  // Services.
  for (const { n, i } of order) {
    for (const app of [...apps[i]].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      out(serviceLines(n.name, app, `10.96.${Math.floor(counts.services / 250) % 256}.${1 + (counts.services % 250)}`, uid(), rv(), created(counts.services)));
      counts.services++;
    }
  }
  // Namespaces.
  for (const { n } of order) out(namespaceLines(n, uid(), rv(), created(0)));
  // NetworkPolicies.
  for (const { n, i } of order) {
    const docs = policyLines(n, i, apps[i]);
    docs.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const d of docs) {
      out(withMeta(d.lines, n.name, d.name, uid(), rv(), created(counts.policies)));
      counts.policies++;
    }
  }
  out(['kind: List', 'metadata:', '  resourceVersion: ""']);
  return counts;
}

/** `key: value` lines of a label map, sorted, at an indentation. */
function labelLines(labels: Record<string, string>, indent: string): string[] {
  return Object.keys(labels)
    .sort()
    .map((k) => `${indent}${k}: ${labels[k]}`);
}

function containerLines(app: AppInfo, indent: string, pod: boolean): string[] {
  const lines = [
    `${indent}- env:`,
    `${indent}  - name: LOG_LEVEL`,
    `${indent}    value: info`,
    `${indent}  image: registry.example.com/shop/${app.role}:1.${app.name.length}.0`,
    `${indent}  imagePullPolicy: IfNotPresent`,
    `${indent}  name: ${app.role}`,
    `${indent}  ports:`,
  ];
  for (const p of PORTS[app.role]) lines.push(`${indent}  - containerPort: ${p.port}`, `${indent}    name: ${p.name}`, `${indent}    protocol: TCP`);
  lines.push(
    `${indent}  readinessProbe:`,
    `${indent}    failureThreshold: 3`,
    `${indent}    periodSeconds: 10`,
    `${indent}    successThreshold: 1`,
    `${indent}    tcpSocket:`,
    `${indent}      port: ${PORTS[app.role][0].name}`,
    `${indent}    timeoutSeconds: 1`,
    `${indent}  resources:`,
    `${indent}    limits:`,
    `${indent}      memory: 256Mi`,
    `${indent}    requests:`,
    `${indent}      cpu: 100m`,
    `${indent}      memory: 128Mi`,
    `${indent}  terminationMessagePath: /dev/termination-log`,
    `${indent}  terminationMessagePolicy: File`,
  );
  if (pod) {
    lines.push(`${indent}  volumeMounts:`, `${indent}  - mountPath: /var/run/secrets/kubernetes.io/serviceaccount`, `${indent}    name: kube-api-access`, `${indent}    readOnly: true`);
  }
  return lines;
}

function podLines(ns: string, name: string, app: AppInfo, podIp: string, hostIp: string, node: string, podUid: string, version: string, at: string): string[] {
  const rs = `${app.name}-${app.hash}`;
  return [
    '- apiVersion: v1',
    '  kind: Pod',
    '  metadata:',
    '    annotations:',
    '      prometheus.io/scrape: "true"',
    `    creationTimestamp: "${at}"`,
    `    generateName: ${rs}-`,
    '    labels:',
    ...labelLines({ ...app.labels, 'pod-template-hash': app.hash }, '      '),
    `    name: ${name}`,
    `    namespace: ${ns}`,
    '    ownerReferences:',
    '    - apiVersion: apps/v1',
    '      blockOwnerDeletion: true',
    '      controller: true',
    '      kind: ReplicaSet',
    `      name: ${rs}`,
    `      uid: ${app.rsUid}`,
    `    resourceVersion: "${version}"`,
    `    uid: ${podUid}`,
    '  spec:',
    '    containers:',
    ...containerLines(app, '    ', true),
    '    dnsPolicy: ClusterFirst',
    '    enableServiceLinks: true',
    `    nodeName: ${node}`,
    '    preemptionPolicy: PreemptLowerPriority',
    '    priority: 0',
    '    restartPolicy: Always',
    '    schedulerName: default-scheduler',
    '    securityContext: {}',
    `    serviceAccount: ${app.name}`,
    `    serviceAccountName: ${app.name}`,
    '    terminationGracePeriodSeconds: 30',
    '    tolerations:',
    '    - effect: NoExecute',
    '      key: node.kubernetes.io/not-ready',
    '      operator: Exists',
    '      tolerationSeconds: 300',
    '    - effect: NoExecute',
    '      key: node.kubernetes.io/unreachable',
    '      operator: Exists',
    '      tolerationSeconds: 300',
    '    volumes:',
    '    - name: kube-api-access',
    '      projected:',
    '        defaultMode: 420',
    '        sources:',
    '        - serviceAccountToken:',
    '            expirationSeconds: 3607',
    '            path: token',
    '        - configMap:',
    '            items:',
    '            - key: ca.crt',
    '              path: ca.crt',
    '            name: kube-root-ca.crt',
    '  status:',
    '    conditions:',
    ...['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].flatMap((type) => [
      '    - lastProbeTime: null',
      `      lastTransitionTime: "${at}"`,
      '      status: "True"',
      `      type: ${type}`,
    ]),
    '    containerStatuses:',
    `    - containerID: containerd://${podUid.replace(/-/g, '')}${podUid.replace(/-/g, '').slice(0, 32)}`,
    `      image: registry.example.com/shop/${app.role}:1.${app.name.length}.0`,
    `      imageID: registry.example.com/shop/${app.role}@sha256:${podUid.replace(/-/g, '')}${podUid.replace(/-/g, '')}`,
    '      lastState: {}',
    `      name: ${app.role}`,
    '      ready: true',
    '      restartCount: 0',
    '      started: true',
    '      state:',
    '        running:',
    `          startedAt: "${at}"`,
    `    hostIP: ${hostIp}`,
    '    hostIPs:',
    `    - ip: ${hostIp}`,
    '    phase: Running',
    `    podIP: ${podIp}`,
    '    podIPs:',
    `    - ip: ${podIp}`,
    '    qosClass: Burstable',
    `    startTime: "${at}"`,
  ];
}

function templateLines(app: AppInfo, hash: string | undefined, indent: string): string[] {
  return [
    `${indent}template:`,
    `${indent}  metadata:`,
    `${indent}    annotations:`,
    `${indent}      prometheus.io/scrape: "true"`,
    `${indent}    creationTimestamp: null`,
    `${indent}    labels:`,
    ...labelLines(hash ? { ...app.labels, 'pod-template-hash': hash } : app.labels, `${indent}      `),
    `${indent}  spec:`,
    `${indent}    containers:`,
    ...containerLines(app, `${indent}    `, false),
    `${indent}    dnsPolicy: ClusterFirst`,
    `${indent}    restartPolicy: Always`,
    `${indent}    schedulerName: default-scheduler`,
    `${indent}    securityContext: {}`,
    `${indent}    serviceAccount: ${app.name}`,
    `${indent}    serviceAccountName: ${app.name}`,
    `${indent}    terminationGracePeriodSeconds: 30`,
  ];
}

function replicaSetLines(ns: string, app: AppInfo, hash: string, replicas: number, rsUid: string, version: string, at: string): string[] {
  return [
    '- apiVersion: apps/v1',
    '  kind: ReplicaSet',
    '  metadata:',
    '    annotations:',
    `      deployment.kubernetes.io/desired-replicas: "${app.replicas}"`,
    `      deployment.kubernetes.io/max-replicas: "${app.replicas + Math.ceil(app.replicas / 4)}"`,
    `      deployment.kubernetes.io/revision: "${replicas === 0 ? 1 : 2}"`,
    `    creationTimestamp: "${at}"`,
    `    generation: ${replicas === 0 ? 3 : 1}`,
    '    labels:',
    ...labelLines({ ...app.labels, 'pod-template-hash': hash }, '      '),
    `    name: ${app.name}-${hash}`,
    `    namespace: ${ns}`,
    '    ownerReferences:',
    '    - apiVersion: apps/v1',
    '      blockOwnerDeletion: true',
    '      controller: true',
    '      kind: Deployment',
    `      name: ${app.name}`,
    `      uid: ${app.uid}`,
    `    resourceVersion: "${version}"`,
    `    uid: ${rsUid}`,
    '  spec:',
    `    replicas: ${replicas}`,
    '    selector:',
    '      matchLabels:',
    `        app: ${app.name}`,
    `        pod-template-hash: ${hash}`,
    ...templateLines(app, hash, '    '),
    '  status:',
    ...(replicas > 0
      ? [`    availableReplicas: ${replicas}`, `    fullyLabeledReplicas: ${replicas}`, '    observedGeneration: 1', `    readyReplicas: ${replicas}`, `    replicas: ${replicas}`]
      : ['    observedGeneration: 3', '    replicas: 0']),
  ];
}

function deploymentLines(ns: string, app: AppInfo, version: string, at: string): string[] {
  return [
    '- apiVersion: apps/v1',
    '  kind: Deployment',
    '  metadata:',
    '    annotations:',
    `      deployment.kubernetes.io/revision: "${app.oldHash ? 2 : 1}"`,
    `    creationTimestamp: "${at}"`,
    `    generation: ${app.oldHash ? 2 : 1}`,
    '    labels:',
    ...labelLines(app.labels, '      '),
    `    name: ${app.name}`,
    `    namespace: ${ns}`,
    `    resourceVersion: "${version}"`,
    `    uid: ${app.uid}`,
    '  spec:',
    '    progressDeadlineSeconds: 600',
    `    replicas: ${app.replicas}`,
    '    revisionHistoryLimit: 10',
    '    selector:',
    '      matchLabels:',
    `        app: ${app.name}`,
    '    strategy:',
    '      rollingUpdate:',
    '        maxSurge: 25%',
    '        maxUnavailable: 25%',
    '      type: RollingUpdate',
    ...templateLines(app, undefined, '    '),
    '  status:',
    `    availableReplicas: ${app.replicas}`,
    '    conditions:',
    `    - lastTransitionTime: "${at}"`,
    `      lastUpdateTime: "${at}"`,
    '      message: Deployment has minimum availability.',
    '      reason: MinimumReplicasAvailable',
    '      status: "True"',
    '      type: Available',
    `    observedGeneration: ${app.oldHash ? 2 : 1}`,
    `    readyReplicas: ${app.replicas}`,
    `    replicas: ${app.replicas}`,
    `    updatedReplicas: ${app.replicas}`,
  ];
}

function serviceLines(ns: string, app: AppInfo, clusterIp: string, svcUid: string, version: string, at: string): string[] {
  const ports = PORTS[app.role].filter((p) => p.name !== 'metrics' || app.role === 'worker');
  return [
    '- apiVersion: v1',
    '  kind: Service',
    '  metadata:',
    `    creationTimestamp: "${at}"`,
    '    labels:',
    `      app: ${app.name}`,
    `    name: ${app.name}`,
    `    namespace: ${ns}`,
    `    resourceVersion: "${version}"`,
    `    uid: ${svcUid}`,
    '  spec:',
    `    clusterIP: ${clusterIp}`,
    '    clusterIPs:',
    `    - ${clusterIp}`,
    '    internalTrafficPolicy: Cluster',
    '    ipFamilies:',
    '    - IPv4',
    '    ipFamilyPolicy: SingleStack',
    '    ports:',
    ...ports.flatMap((p) => [`    - name: ${p.name}`, `      port: ${p.name === 'http' ? 80 : p.port}`, '      protocol: TCP', `      targetPort: ${p.name}`]),
    '    selector:',
    `      app: ${app.name}`,
    '    sessionAffinity: None',
    '    type: ClusterIP',
    '  status:',
    '    loadBalancer: {}',
  ];
}

function namespaceLines(n: NamespaceInfo, nsUid: string, version: string, at: string): string[] {
  return [
    '- apiVersion: v1',
    '  kind: Namespace',
    '  metadata:',
    `    creationTimestamp: "${at}"`,
    '    labels:',
    ...labelLines(n.labels, '      '),
    `    name: ${n.name}`,
    `    resourceVersion: "${version}"`,
    `    uid: ${nsUid}`,
    '  spec:',
    '    finalizers:',
    '    - kubernetes',
    '  status:',
    '    phase: Active',
  ];
}

/** A policy's metadata (server-set fields included) before its spec lines. */
function withMeta(spec: string[], ns: string, name: string, policyUid: string, version: string, at: string): string[] {
  return [
    '- apiVersion: networking.k8s.io/v1',
    '  kind: NetworkPolicy',
    '  metadata:',
    `    creationTimestamp: "${at}"`,
    '    generation: 1',
    `    name: ${name}`,
    `    namespace: ${ns}`,
    `    resourceVersion: "${version}"`,
    `    uid: ${policyUid}`,
    ...spec,
  ];
}

const DNS_PEER = [
  '    - ports:',
  '      - port: 53',
  '        protocol: UDP',
  '      - port: 53',
  '        protocol: TCP',
  '      to:',
  '      - namespaceSelector:',
  '          matchLabels:',
  '            kubernetes.io/metadata.name: kube-system',
  '        podSelector:',
  '          matchLabels:',
  '            k8s-app: kube-dns',
];

const MONITORING_PEER = [
  '      - namespaceSelector:',
  '          matchLabels:',
  '            kubernetes.io/metadata.name: monitoring',
  '        podSelector:',
  '          matchLabels:',
  '            app.kubernetes.io/name: prometheus',
];

/** The namespace's 10 policies (spec lines, API-server defaults written as kubectl prints them). */
function policyLines(n: NamespaceInfo, i: number, apps: readonly AppInfo[]): { name: string; lines: string[] }[] {
  const team = n.labels.team;
  const docs: { name: string; lines: string[] }[] = [
    { name: 'default-deny-ingress', lines: ['  spec:', '    podSelector: {}', '    policyTypes:', '    - Ingress'] },
    {
      name: 'default-egress',
      lines: [
        '  spec:',
        '    egress:',
        ...DNS_PEER,
        '    - to:',
        '      - podSelector: {}',
        ...(team ? ['    - to:', '      - namespaceSelector:', '          matchLabels:', `            team: ${team}`] : []),
        '    - ports:',
        '      - port: 443',
        '        protocol: TCP',
        '      to:',
        '      - ipBlock:',
        '          cidr: 0.0.0.0/0',
        '          except:',
        '          - 10.0.0.0/8',
        '          - 172.16.0.0/12',
        '          - 192.168.0.0/16',
        '    podSelector: {}',
        '    policyTypes:',
        '    - Egress',
      ],
    },
  ];
  for (const app of apps.slice(0, POLICIES_PER_NAMESPACE - 2)) {
    const first = PORTS[app.role][0];
    const rules: string[] = [];
    switch (app.role) {
      case 'web':
        rules.push(
          '    - from:',
          '      - namespaceSelector:',
          '          matchLabels:',
          '            kubernetes.io/metadata.name: ingress-nginx',
          '        podSelector:',
          '          matchLabels:',
          '            app.kubernetes.io/name: ingress-nginx',
          '      - ipBlock:',
          `          cidr: 192.168.${i % 4}.0/24`,
          '      ports:',
          '      - port: http',
          '        protocol: TCP',
        );
        break;
      case 'api':
        rules.push(
          '    - from:',
          '      - podSelector:',
          '          matchLabels:',
          '            tier: frontend',
          ...(team
            ? ['      - namespaceSelector:', '          matchLabels:', `            team: ${team}`, '        podSelector:', '          matchLabels:', '            tier: backend']
            : []),
          '      ports:',
          '      - port: http',
          '        protocol: TCP',
          '      - port: 9000',
          '        protocol: TCP',
        );
        break;
      case 'db':
      case 'cache':
        rules.push(
          '    - from:',
          '      - podSelector:',
          '          matchExpressions:',
          '          - key: tier',
          '            operator: In',
          '            values:',
          '            - backend',
          '            - worker',
          '      ports:',
          `      - port: ${first.port}`,
          '        protocol: TCP',
        );
        break;
      case 'worker':
        // Probes from the node network (kubelet): an ipBlock that holds no pod.
        rules.push('    - from:', '      - ipBlock:', '          cidr: 10.0.0.0/16', '      ports:', '      - port: metrics', '        protocol: TCP');
        break;
    }
    rules.push('    - from:', ...MONITORING_PEER, '      ports:', '      - port: metrics', '        protocol: TCP');
    docs.push({
      name: `allow-${app.name}`,
      lines: ['  spec:', '    ingress:', ...rules, '    podSelector:', '      matchLabels:', `        app: ${app.name}`, '    policyTypes:', '    - Ingress'],
    });
  }
  return docs;
}
