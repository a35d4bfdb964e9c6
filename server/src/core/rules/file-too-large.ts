import type { WorkspaceRule } from './types';

/** Files over the size limit are not analysed; say so once, at the top of the file. */
export const fileTooLarge: WorkspaceRule = {
  meta: {
    id: 'file-too-large',
    category: 'validation',
    defaultSeverity: 'warning',
    description: 'The file is larger than the analysis limit and is not analysed.',
  },
  check(ctx) {
    for (const f of ctx.analysis.files) {
      for (const n of f.notes) if (n.code === 'file-too-large') ctx.report({ message: n.message, span: n.span, path: '' });
    }
  },
};
