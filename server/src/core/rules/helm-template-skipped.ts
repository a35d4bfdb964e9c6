import { noteRule } from './support/note-rule';

/**
 * A file that is a Helm template is not YAML until it is rendered: it is left out of the
 * analysis, said once, on its first line (manifest/detect.ts decides).
 */
export const helmTemplateSkipped = noteRule({
  id: 'helm-template-skipped',
  category: 'validation',
  defaultSeverity: 'info',
  description: 'A Helm template (by the chart layout or by Helm syntax outside YAML strings) is not analysed: render it with helm template.',
});
