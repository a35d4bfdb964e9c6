import { noteRule } from './support/note-rule';

/** Aliases that expand a document as kubectl's decoder refuses (source/aliases.ts): the document is skipped. */
export const excessiveAliasing = noteRule(
  {
    id: 'excessive-aliasing',
    category: 'validation',
    defaultSeverity: 'error',
    description: 'YAML aliases expand the document beyond what kubectl accepts, or refer to themselves; it is skipped.',
  },
);
