import { KUSTOMIZE_NOT_MODELLED } from '../manifest/kustomized';
import type { WorkspaceRule } from './types';

/**
 * What a kustomization does that the editor's kustomize subset does not apply (patches,
 * generators, replacements, Helm, remote bases, other variants of a shared base): said
 * on the kustomization, with the command that renders it exactly (manifest/kustomized.ts).
 */
export const kustomizeNotModelled: WorkspaceRule = {
  meta: {
    id: KUSTOMIZE_NOT_MODELLED,
    category: 'validation',
    defaultSeverity: 'info',
    description: 'A kustomization uses something the editor does not apply (patches, generators, remote bases, …): `netpol check --kustomize` renders it.',
  },
  check(ctx) {
    for (const f of ctx.analysis.files) {
      for (const n of f.notes) if (n.code === KUSTOMIZE_NOT_MODELLED) ctx.report({ message: n.message, span: n.span, path: '' });
    }
  },
};
