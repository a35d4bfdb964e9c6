import { isMap } from 'yaml';
import { readSelector } from '../../model/extract/selector';
import { selectorMatches } from '../../reach/selectors';
import { asMap, fix, namespaceNames, pairOf, parentPath, step, target } from '../support';
import type { Fix, FixProvider } from '../types';
import { renderFlow } from '../../yaml/edit';
import { NAMESPACE_NAME_LABEL } from '../../k8s/cluster';

/** At most this many namespaces are offered. */
const MAX = 20;

/**
 * `namespaceSelector: {}` -> one fix per namespace of the workspace
 * (`matchLabels: {kubernetes.io/metadata.name: <ns>}`). Namespaces with pods that the
 * peer's podSelector matches come first.
 */
export const allNamespacesFix: FixProvider = {
  rule: 'all-namespaces',
  fixesFor(finding, ctx) {
    const sel = asMap(target(ctx, finding)?.node);
    const peer = asMap(step(ctx, parentPath(finding.path))?.node);
    if (!sel || !peer) return [];
    const e = ctx.editor;
    const edit = (ns: string) => {
      if (sel.flow) return e.edit(e.start(sel), e.end(sel), renderFlow({ matchLabels: { [NAMESPACE_NAME_LABEL]: ns } }, e.style));
      const ml = pairOf(sel, 'matchLabels');
      const value = ml?.value;
      if (!ml || !isMap(value) || !value.flow || value.items.length > 0) return undefined;
      return e.edit(e.start(value), e.end(value), renderFlow({ [NAMESPACE_NAME_LABEL]: ns }, e.style));
    };
    const podNode = pairOf(peer, 'podSelector')?.value;
    const pods = podNode ? readSelector(ctx.object.reader, podNode) : undefined;
    const { model } = ctx.analysis;
    const hasPods = (ns: string) => model.workloads.some((w) => w.namespace === ns && (!pods || w.pods.some((p) => selectorMatches(pods, p.labels))));
    const names = namespaceNames(ctx);
    const ranked = [...names.filter(hasPods), ...names.filter((n) => !hasPods(n))].slice(0, MAX);
    return ranked.flatMap((ns): Fix[] => fix(`Select only namespace ${ns}`, [edit(ns)]));
  },
};
