import type { Rule } from '../lint/rule';

const SERVED = 'networking.k8s.io/v1';

/** API groups of Kubernetes itself; other groups (projectcalico.org, crd.antrea.io) have NetworkPolicy kinds of their own. */
const KUBERNETES_GROUPS = new Set(['', 'extensions', 'networking.k8s.io']);

/**
 * A `kind: NetworkPolicy` of Kubernetes' own API groups in a version the API server does
 * not serve. extensions/v1beta1 served NetworkPolicy until Kubernetes 1.16. Works on all
 * objects: the model and the per-policy rules only see networking.k8s.io policies.
 */
export const unsupportedApiVersion: Rule = {
  meta: {
    id: 'unsupported-api-version',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'NetworkPolicy is served only as networking.k8s.io/v1 (extensions/v1beta1 was removed in Kubernetes 1.16).',
  },
  checkFile(file, report) {
    for (const obj of file.objects) {
      if (obj.kind !== 'NetworkPolicy' || obj.apiVersion === SERVED) continue;
      const slash = obj.apiVersion.indexOf('/');
      const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash);
      if (!KUBERNETES_GROUPS.has(group)) continue;
      const r = obj.reader;
      const pair = r.pair(obj.map, 'apiVersion');
      // Items of a typed list inherit the list's apiVersion and have none of their own.
      const span = r.span(r.resolve(pair?.value)) ?? r.span(r.pair(obj.map, 'kind')?.key) ?? r.span(obj.map.items[0]?.key);
      const history =
        obj.apiVersion === 'extensions/v1beta1'
          ? 'extensions/v1beta1 NetworkPolicy was removed in Kubernetes 1.16'
          : `Kubernetes has never served NetworkPolicy as ${obj.apiVersion}`;
      report({
        message: `${history}: the API server rejects it (no matches for kind "NetworkPolicy" in version "${obj.apiVersion}"), and the analysis ignores it. Use apiVersion: ${SERVED}; the spec carries over unchanged.`,
        span,
        path: 'apiVersion',
      });
    }
  },
};
