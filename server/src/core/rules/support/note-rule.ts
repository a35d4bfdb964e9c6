import type { RuleMeta } from '../../lint/rule';
import type { WorkspaceRule } from '../types';

/**
 * A rule that reports the load notes carrying its id as their code: what a bound or a
 * failure kept from being analysed. The loader and the model write the notes (see
 * source/limits.ts); the loader sets the code only where the document looks like
 * Kubernetes (other YAML is not ours to judge, as with yaml-syntax).
 */
export function noteRule(meta: RuleMeta): WorkspaceRule {
  return {
    meta,
    check(ctx) {
      for (const n of ctx.analysis.model.notes) if (n.code === meta.id && n.span) ctx.report({ message: n.message, span: n.span, path: '' });
    },
  };
}
