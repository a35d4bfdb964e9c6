import { noteRule } from './support/note-rule';

/**
 * A document or object that could not be read because of a bug of ours: left out of the
 * analysis, said once, on it (manifest/load.ts, model/build.ts).
 */
export const documentSkipped = noteRule(
  {
    id: 'document-skipped',
    category: 'validation',
    defaultSeverity: 'warning',
    description: 'A document or object that NetPol failed to read (a NetPol bug) is left out of the analysis.',
  },
);
