import { isYamlError } from '../manifest/load';
import type { WorkspaceRule } from './types';

/**
 * YAML errors found while loading, as findings. Reported only in files that hold (or
 * are meant to hold) Kubernetes objects: other YAML is not ours to judge.
 */
export const yamlSyntax: WorkspaceRule = {
  meta: {
    id: 'yaml-syntax',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'The document is not valid YAML; it is skipped.',
  },
  check(ctx) {
    for (const f of ctx.analysis.files) {
      if (!f.looksKubernetes) continue;
      for (const n of f.notes) {
        if (isYamlError(n) && n.span) ctx.report({ message: n.message, span: n.span, path: '' });
      }
    }
  },
};
