/**
 * Where kustomize v5.5.0 (the one `kubectl kustomize` ships) writes namespaces, names, labels
 * and annotations: its built-in field specs, restated as data. Sources, in
 * kubernetes-sigs/kustomize at tag kustomize/v5.5.0:
 * - api/internal/konfig/builtinpluginconsts/{commonlabels,metadatalabels,templatelabels,
 *   commonannotations,namespace,nameprefix,namesuffix,namereference}.go (the specs);
 * - api/internal/builtins/{Prefix,Suffix}Transformer.go (kinds never renamed);
 * - api/filters/namespace/namespace.go (metadata.namespace only on namespaced kinds, a
 *   Namespace's own name only for apiVersion v1);
 * - kyaml/openapi/openapi.go `precomputedIsNamespaceScoped` (the kinds kustomize knows to be
 *   cluster-scoped, by exact apiVersion and kind: anything else, custom resources included, is
 *   treated as namespaced).
 * The differential test (test/unit/core/manifest/kustomize-differential.test.ts) holds these
 * to `kubectl kustomize`.
 */

/**
 * A field spec: `path` is `/`-separated; a sequence met on the way is entered element by
 * element (the path does not name it), `name[]` says the field is a sequence. `create`: the
 * field (and the maps above it) are made when missing; otherwise only an existing field is
 * changed. `group`/`version`/`kind`, when set, must equal the object's.
 */
export interface FieldSpec {
  readonly path: string;
  readonly create: boolean;
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
}

function spec(path: string, create: boolean, kind?: string, group?: string, version?: string): FieldSpec {
  return { path, create, kind, group, version };
}

/** metadataLabelsFieldSpecs: the object's labels and its pod (and claim) templates' labels. */
export const METADATA_LABEL_SPECS: readonly FieldSpec[] = [
  spec('metadata/labels', true),
  spec('spec/template/metadata/labels', true, 'ReplicationController', undefined, 'v1'),
  spec('spec/template/metadata/labels', true, 'Deployment'),
  spec('spec/template/metadata/labels', true, 'ReplicaSet'),
  spec('spec/template/metadata/labels', true, 'DaemonSet'),
  spec('spec/template/metadata/labels', true, 'StatefulSet', 'apps'),
  spec('spec/volumeClaimTemplates[]/metadata/labels', true, 'StatefulSet', 'apps'),
  spec('spec/template/metadata/labels', true, 'Job', 'batch'),
  spec('spec/jobTemplate/metadata/labels', true, 'CronJob', 'batch'),
  spec('spec/jobTemplate/spec/template/metadata/labels', true, 'CronJob', 'batch'),
];

/** `labels` with `includeTemplates` (and not `includeSelectors`): templateLabels = the same list. */
export const TEMPLATE_LABEL_SPECS: readonly FieldSpec[] = METADATA_LABEL_SPECS;

const AFFINITY_SELECTORS = [
  'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
];

/**
 * commonLabelFieldSpecs (also `labels` with `includeSelectors: true`): the metadata specs plus
 * the selectors. Note what is and is not there: a Service's `spec.selector` is created when
 * missing; a NetworkPolicy's `spec.podSelector.matchLabels` and its peers'
 * `podSelector.matchLabels` get the labels only where `matchLabels` is already written (so
 * `podSelector: {}` keeps selecting every pod); a namespaceSelector never does.
 */
export const COMMON_LABEL_SPECS: readonly FieldSpec[] = [
  spec('spec/selector', true, 'Service', undefined, 'v1'),
  spec('spec/selector', true, 'ReplicationController', undefined, 'v1'),
  spec('spec/selector/matchLabels', true, 'Deployment'),
  ...AFFINITY_SELECTORS.map((p) => spec(p, false, 'Deployment', 'apps')),
  spec('spec/selector/matchLabels', true, 'ReplicaSet'),
  spec('spec/selector/matchLabels', true, 'DaemonSet'),
  spec('spec/selector/matchLabels', true, 'StatefulSet', 'apps'),
  ...AFFINITY_SELECTORS.map((p) => spec(p, false, 'StatefulSet', 'apps')),
  spec('spec/selector/matchLabels', false, 'Job', 'batch'),
  spec('spec/jobTemplate/spec/selector/matchLabels', false, 'CronJob', 'batch'),
  spec('spec/selector/matchLabels', false, 'PodDisruptionBudget', 'policy'),
  spec('spec/podSelector/matchLabels', false, 'NetworkPolicy', 'networking.k8s.io'),
  spec('spec/ingress/from/podSelector/matchLabels', false, 'NetworkPolicy', 'networking.k8s.io'),
  spec('spec/egress/to/podSelector/matchLabels', false, 'NetworkPolicy', 'networking.k8s.io'),
  ...METADATA_LABEL_SPECS,
];

/** commonAnnotationFieldSpecs. */
export const COMMON_ANNOTATION_SPECS: readonly FieldSpec[] = [
  spec('metadata/annotations', true),
  spec('spec/template/metadata/annotations', true, 'ReplicationController', undefined, 'v1'),
  spec('spec/template/metadata/annotations', true, 'Deployment'),
  spec('spec/template/metadata/annotations', true, 'ReplicaSet'),
  spec('spec/template/metadata/annotations', true, 'DaemonSet'),
  spec('spec/template/metadata/annotations', true, 'StatefulSet'),
  spec('spec/template/metadata/annotations', true, 'Job', 'batch'),
  spec('spec/jobTemplate/metadata/annotations', true, 'CronJob', 'batch'),
  spec('spec/jobTemplate/spec/template/metadata/annotations', true, 'CronJob', 'batch'),
];

/**
 * namespaceFieldSpecs besides `metadata/namespace` (which the filter sets on every namespaced
 * object itself). A Namespace object is renamed to the kustomization's namespace, but only
 * when its apiVersion is exactly `v1`.
 */
export const NAMESPACE_SPECS: readonly FieldSpec[] = [
  spec('metadata/name', true, 'Namespace'),
  spec('spec/service/namespace', true, 'APIService', 'apiregistration.k8s.io'),
  spec('spec/conversion/webhook/clientConfig/service/namespace', false, 'CustomResourceDefinition', 'apiextensions.k8s.io'),
];

/** Kinds namePrefix/nameSuffix never rename (matched on the object's original group and kind). */
export const NOT_RENAMED: readonly { readonly kind: string; readonly group?: string }[] = [
  { kind: 'CustomResourceDefinition' },
  { kind: 'APIService', group: 'apiregistration.k8s.io' },
  { kind: 'Namespace' },
];

/** apiVersion + kind that kustomize knows to be cluster-scoped (precomputedIsNamespaceScoped: false). */
const CLUSTER_SCOPED_LIST: readonly string[] = [
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/v1 CustomResourceDefinition',
  'apiextensions.k8s.io/v1beta1 CustomResourceDefinition',
  'apiregistration.k8s.io/v1 APIService',
  'apiregistration.k8s.io/v1beta1 APIService',
  'certificates.k8s.io/v1 CertificateSigningRequest',
  'certificates.k8s.io/v1beta1 CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema',
  'flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration',
  'networking.k8s.io/v1 IngressClass',
  'networking.k8s.io/v1beta1 IngressClass',
  'node.k8s.io/v1 RuntimeClass',
  'node.k8s.io/v1beta1 RuntimeClass',
  'policy/v1beta1 PodSecurityPolicy',
  'rbac.authorization.k8s.io/v1 ClusterRole',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1beta1 ClusterRole',
  'rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding',
  'scheduling.k8s.io/v1 PriorityClass',
  'scheduling.k8s.io/v1beta1 PriorityClass',
  'storage.k8s.io/v1 CSIDriver',
  'storage.k8s.io/v1 CSINode',
  'storage.k8s.io/v1 StorageClass',
  'storage.k8s.io/v1 VolumeAttachment',
  'storage.k8s.io/v1beta1 CSIDriver',
  'storage.k8s.io/v1beta1 CSINode',
  'storage.k8s.io/v1beta1 StorageClass',
  'storage.k8s.io/v1beta1 VolumeAttachment',
  'v1 ComponentStatus',
  'v1 Namespace',
  'v1 Node',
  'v1 NodeProxyOptions',
  'v1 PersistentVolume',
];

/** kind → the apiVersions in which kustomize knows it to be cluster-scoped. */
const CLUSTER_SCOPED = new Map<string, Set<string>>();
for (const entry of CLUSTER_SCOPED_LIST) {
  const [apiVersion, kind] = entry.split(' ');
  const set = CLUSTER_SCOPED.get(kind) ?? new Set();
  set.add(apiVersion);
  CLUSTER_SCOPED.set(kind, set);
}

/**
 * As kustomize judges it: only these exact apiVersion/kind pairs are cluster-scoped. A
 * cluster-scoped custom resource (a cert-manager ClusterIssuer) or a newer built-in kind
 * (admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy) gets `metadata.namespace` too.
 */
export function isClusterScoped(apiVersion: string, kind: string): boolean {
  return CLUSTER_SCOPED.get(kind)?.has(apiVersion) ?? false;
}

/** `apps/v1` → group `apps`, version `v1`; `v1` → group ``. */
export function splitApiVersion(apiVersion: string): { readonly group: string; readonly version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** isMatchGVK: every field the spec sets equals the object's. */
export function specApplies(s: { readonly group?: string; readonly version?: string; readonly kind?: string }, apiVersion: string, kind: string): boolean {
  if (s.kind !== undefined && s.kind !== kind) return false;
  const gv = splitApiVersion(apiVersion);
  if (s.group !== undefined && s.group !== gv.group) return false;
  if (s.version !== undefined && s.version !== gv.version) return false;
  return true;
}

/**
 * The name references kustomize rewrites after renaming (nameReference), restricted to what
 * the network analysis reads: which Service an Ingress, a StatefulSet, an APIService or a
 * webhook points at, and which ConfigMaps/Secrets/ServiceAccount a pod template uses (their
 * contents carry the addresses a workload calls). Other references (HPA targets, RBAC role
 * refs, PVCs, PriorityClasses, IngressClasses, annotations naming Secrets) keep the name as
 * written.
 */
export interface NameReference {
  /** The kind (and version) of the object named. */
  readonly target: { readonly kind: string; readonly version?: string };
  /** The referring field: a scalar name, or a map with `name` (and `namespace`). */
  readonly referrers: readonly FieldSpec[];
}

/** Where each workload kind keeps its pod spec. */
const POD_SPEC_PATHS: readonly { readonly kind: string; readonly prefix: string; readonly version?: string }[] = [
  { kind: 'Pod', prefix: 'spec', version: 'v1' },
  { kind: 'PodTemplate', prefix: 'template/spec' },
  { kind: 'Deployment', prefix: 'spec/template/spec' },
  { kind: 'ReplicaSet', prefix: 'spec/template/spec' },
  { kind: 'DaemonSet', prefix: 'spec/template/spec' },
  { kind: 'StatefulSet', prefix: 'spec/template/spec' },
  { kind: 'Job', prefix: 'spec/template/spec' },
  { kind: 'CronJob', prefix: 'spec/jobTemplate/spec/template/spec' },
];

function podSpecReferrers(fields: readonly string[]): FieldSpec[] {
  return POD_SPEC_PATHS.flatMap(({ kind, prefix, version }) => fields.map((f) => spec(`${prefix}/${f}`, false, kind, undefined, version)));
}

export const NAME_REFERENCES: readonly NameReference[] = [
  {
    target: { kind: 'Service', version: 'v1' },
    referrers: [
      spec('spec/serviceName', false, 'StatefulSet', 'apps'),
      spec('spec/rules/http/paths/backend/serviceName', false, 'Ingress'),
      spec('spec/backend/serviceName', false, 'Ingress'),
      spec('spec/rules/http/paths/backend/service/name', false, 'Ingress'),
      spec('spec/defaultBackend/service/name', false, 'Ingress'),
      spec('spec/service/name', false, 'APIService', 'apiregistration.k8s.io'),
      spec('webhooks/clientConfig/service', false, 'ValidatingWebhookConfiguration', 'admissionregistration.k8s.io'),
      spec('webhooks/clientConfig/service', false, 'MutatingWebhookConfiguration', 'admissionregistration.k8s.io'),
    ],
  },
  {
    target: { kind: 'ConfigMap', version: 'v1' },
    referrers: podSpecReferrers([
      'volumes/configMap/name',
      'containers/env/valueFrom/configMapKeyRef/name',
      'initContainers/env/valueFrom/configMapKeyRef/name',
      'containers/envFrom/configMapRef/name',
      'initContainers/envFrom/configMapRef/name',
      'volumes/projected/sources/configMap/name',
    ]),
  },
  {
    target: { kind: 'Secret', version: 'v1' },
    referrers: podSpecReferrers([
      'volumes/secret/secretName',
      'containers/env/valueFrom/secretKeyRef/name',
      'initContainers/env/valueFrom/secretKeyRef/name',
      'containers/envFrom/secretRef/name',
      'initContainers/envFrom/secretRef/name',
      'imagePullSecrets/name',
      'volumes/projected/sources/secret/name',
    ]),
  },
  {
    target: { kind: 'ServiceAccount', version: 'v1' },
    referrers: [
      spec('spec/serviceAccountName', false, 'Pod'),
      spec('spec/template/spec/serviceAccountName', false, 'StatefulSet'),
      spec('spec/template/spec/serviceAccountName', false, 'Deployment'),
      spec('spec/template/spec/serviceAccountName', false, 'ReplicationController'),
      spec('spec/jobTemplate/spec/template/spec/serviceAccountName', false, 'CronJob'),
      spec('spec/template/spec/serviceAccountName', false, 'Job'),
      spec('spec/template/spec/serviceAccountName', false, 'DaemonSet'),
    ],
  },
];
