/** What a text is before it is parsed: a Helm template (not ours to read), or meant to hold Kubernetes objects. */

// A Go template action such as `{{ .Values.x }}`, `{{- if` or a template comment.
const HELM_ACTION = /\{\{-?\s*(?:[.$(/"]|[a-z]+\b)/;

export function isHelmTemplate(text: string): boolean {
  return HELM_ACTION.test(text);
}

// (Blanks, not \s: `\s*` would also eat line breaks, and retry from every line of a long blank run.)
export const LOOKS_KUBERNETES = /^[ \t]*(apiVersion|kind)[ \t]*:/m;
