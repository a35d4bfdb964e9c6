import { noteRule } from './support/note-rule';

/** A large document outside the fast reader's subset: the full YAML parser would take too long on it. */
export const documentTooLarge = noteRule(
  {
    id: 'document-too-large',
    category: 'validation',
    defaultSeverity: 'warning',
    description: 'A large document that needs the full YAML parser (anchors, tags, tabs, or a syntax error) is not analysed.',
  },
);
