import { noteRule } from './support/note-rule';

/** A document nested past DOCUMENT_LIMITS.maxDepth is not parsed (the parsers recurse per level). */
export const nestingTooDeep = noteRule(
  {
    id: 'nesting-too-deep',
    category: 'validation',
    defaultSeverity: 'warning',
    description: 'The document nests more than 100 levels deep and is not analysed.',
  },
);
