import type { Finding } from '../../lint/rule';
import { bundleOf } from '../../model/bundles';
import type { Model } from '../../model/types';

const NOTE = (ns: string) => ` (namespace not set; analysed as ${ns})`;

/**
 * Findings on the manifests of a bundle without namespaces (installed with kubectl apply
 * -n) name the default namespace only because the analysis put them there: the first
 * mention of it says so (`Namespace default (namespace not set; analysed as default) has
 * workloads…`, `Deployment default/web (…)`).
 */
export function noteAssumedNamespace(findings: Finding[], model: Model): Finding[] {
  if (model.namespacelessBundles.size === 0) return findings;
  const ns = model.defaultNamespace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mention = new RegExp(`(?:\\b${ns}/[^\\s,;:()]+|\\b[Nn]amespaces? ${ns}\\b(?![-/])|namespace "${ns}")`);
  return findings.map((f) => {
    // (A message that speaks of the assumption already needs no note.)
    if (!model.namespacelessBundles.has(bundleOf(f.span.file)) || f.message.includes(NOTE(model.defaultNamespace)) || /\bassum/.test(f.message)) return f;
    const m = mention.exec(f.message);
    if (!m) return f;
    const at = m.index + m[0].length;
    return { ...f, message: f.message.slice(0, at) + NOTE(model.defaultNamespace) + f.message.slice(at) };
  });
}
