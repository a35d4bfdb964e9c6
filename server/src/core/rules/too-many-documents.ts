import { noteRule } from './support/note-rule';

/** Documents past DOCUMENT_LIMITS.maxDocumentsPerFile in one file are not analysed. */
export const tooManyDocuments = noteRule(
  {
    id: 'too-many-documents',
    category: 'validation',
    defaultSeverity: 'warning',
    description: 'A file with more YAML documents than the analysis reads; the rest are not analysed.',
  },
);
