import { collectEvidence } from '../evidence/evidence';
import type { Evidence, EvidenceOptions } from '../evidence/types';
import { PROMETHEUS } from '../k8s/cluster';
import type { Analysis } from './analyze';
import type { NetpolConfig } from './config';

/** The evidence options of a configuration (Prometheus is assumed where kube-prometheus puts it). */
export function evidenceOptionsOf(config: Pick<NetpolConfig, 'ingressController' | 'dns'>, baseline: EvidenceOptions['baseline'] = { dns: true }): EvidenceOptions {
  return { ingressController: config.ingressController, dns: config.dns, prometheus: PROMETHEUS, baseline };
}

/** Evidence per analysis (one state of the files) and options: computed once, whoever asks. */
const cache = new WeakMap<Analysis, Map<string, Evidence>>();

export function evidenceOf(analysis: Analysis, options: EvidenceOptions): Evidence {
  let byOptions = cache.get(analysis);
  if (!byOptions) cache.set(analysis, (byOptions = new Map()));
  const key = JSON.stringify(options);
  let ev = byOptions.get(key);
  if (!ev) byOptions.set(key, (ev = collectEvidence(analysis.files, analysis.model, options)));
  return ev;
}
