import { KUSTOMIZE_BUILD_ERROR } from '../manifest/kustomized';
import type { WorkspaceRule } from './types';

/**
 * What would make `kustomize build` fail (a missing file or folder, a cycle, an invalid
 * kustomization, two objects with one identity): said on the kustomization
 * (manifest/kustomized.ts); the objects it could still read are analysed.
 */
export const kustomizeBuildError: WorkspaceRule = {
  meta: {
    id: KUSTOMIZE_BUILD_ERROR,
    category: 'validation',
    defaultSeverity: 'warning',
    description: 'A kustomization that `kustomize build` would refuse: a missing reference, a cycle, an invalid field, a duplicate object.',
  },
  check(ctx) {
    for (const f of ctx.analysis.files) {
      for (const n of f.notes) if (n.code === KUSTOMIZE_BUILD_ERROR) ctx.report({ message: n.message, span: n.span, path: '' });
    }
  },
};
