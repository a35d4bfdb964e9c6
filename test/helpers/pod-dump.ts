/**
 * Cluster dumps for tests: Pods as `kubectl get pods -A -o yaml` prints them (a ReplicaSet
 * owner, status with podIP(s), hostIP), in a `kind: List` with their namespaces.
 */
export interface PodSpec {
  readonly ns: string;
  readonly name: string;
  readonly ip?: string;
  readonly ips?: readonly string[];
  readonly hostNetwork?: boolean;
  readonly hostIP?: string;
  /** Container ports (TCP 80 when not given). */
  readonly ports?: readonly { readonly containerPort: number; readonly protocol?: string; readonly name?: string }[];
}

/** One Pod as `kubectl get pods -o yaml` prints it: owned by ReplicaSet `<name>-rs`, with status. */
export function dumpPod(p: PodSpec): string {
  const ips = p.ips ?? (p.ip ? [p.ip] : []);
  const status = [
    '    status:',
    '      phase: Running',
    '      conditions:',
    '        - {type: Ready, status: "True", lastProbeTime: null, lastTransitionTime: "2026-12-01T10:00:00Z"}',
    ...(p.hostIP ? [`      hostIP: ${p.hostIP}`, `      hostIPs: [{ip: ${p.hostIP}}]`] : []),
    ...(ips.length > 0 ? [`      podIP: ${ips[0]}`, '      podIPs:', ...ips.map((ip) => `        - ip: "${ip}"`)] : []),
    '      containerStatuses:',
    '        - {name: main, ready: true, restartCount: 0, image: "registry.example.com/app:1.0", imageID: "", started: true}',
  ];
  return [
    '  - apiVersion: v1',
    '    kind: Pod',
    '    metadata:',
    `      name: ${p.name}-rs-x7k2p`,
    `      namespace: ${p.ns}`,
    `      labels: {pod: ${p.name}, pod-template-hash: 5d8f9c}`,
    '      ownerReferences:',
    `        - {apiVersion: apps/v1, kind: ReplicaSet, name: ${p.name}-rs, uid: 0d7c, controller: true, blockOwnerDeletion: true}`,
    '    spec:',
    ...(p.hostNetwork ? ['      hostNetwork: true'] : []),
    '      containers:',
    '        - name: main',
    '          image: registry.example.com/app:1.0',
    `          ports: ${JSON.stringify(p.ports ?? [{ containerPort: 80, protocol: 'TCP' }])}`,
    ...status,
  ].join('\n');
}

/** A cluster dump: a `kind: List` of Pods, the namespaces as kubectl lists them. */
export function dump(pods: readonly PodSpec[]): string {
  const namespaces = [...new Set(pods.map((p) => p.ns))].map((ns) =>
    ['  - apiVersion: v1', '    kind: Namespace', '    metadata:', `      name: ${ns}`, `      labels: {kubernetes.io/metadata.name: ${ns}}`, '    spec: {finalizers: [kubernetes]}', '    status: {phase: Active}'].join('\n'),
  );
  return ['apiVersion: v1', 'kind: List', 'metadata: {resourceVersion: ""}', 'items:', ...namespaces, ...pods.map(dumpPod)].join('\n') + '\n';
}

export const IP: Record<string, string> = { 'x/a': '10.244.1.10', 'x/b': '10.244.1.11', 'x/c': '10.244.2.12', 'y/a': '10.244.2.20', 'y/b': '10.244.3.21', 'z/a': '10.244.3.30' };

export function pods(...names: string[]): PodSpec[] {
  return names.map((n) => {
    const [ns, name] = n.split('/');
    return { ns, name, ip: IP[n] };
  });
}

