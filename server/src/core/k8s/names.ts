/**
 * Name and label syntax as apimachinery validates it (pkg/util/validation). Each
 * function returns the reasons a value is invalid: empty means valid. The wording
 * follows the API server's messages, so the editor and `kubectl apply` agree.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * A value written as a template expression (`{{ .Release.Name }}-db`, in a file that is
 * plain YAML otherwise): something renders it before the API server sees it, so it is
 * never judged as a literal.
 */
export function isTemplateExpression(value: string): boolean {
  const open = value.indexOf('{{');
  return open >= 0 && value.indexOf('}}', open + 2) >= 0;
}

/**
 * A value that stands for one a tool fills in before the API server sees it: a template
 * expression, an environment variable for envsubst (`${POD_CIDR}`, `$POD_CIDR`), a
 * `<placeholder>`, or a word in capitals that a script replaces (`APISERVER`, `REPLACE_ME`:
 * no Kubernetes address, port or name is written so). Rules say so rather than judge it as
 * a literal.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return (
    isTemplateExpression(v) ||
    /\$\{[A-Za-z_][A-Za-z0-9_]*\}/.test(v) ||
    /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) ||
    /<[A-Za-z][-\w .]*>/.test(v) ||
    // Capitals only, with a letter past F (`FD00` reads as a cut IPv6 address, not a placeholder).
    (/^[A-Z][A-Z0-9_]*[A-Z][A-Z0-9_]*$/.test(v) && /[G-Z_]/.test(v))
  );
}

export function dns1123Label(value: string): string[] {
  if (isTemplateExpression(value)) return [];
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!DNS1123_LABEL.test(value)) {
    errs.push("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character");
  }
  return errs;
}

export function dns1123Subdomain(value: string): string[] {
  if (isTemplateExpression(value)) return [];
  const errs: string[] = [];
  if (value.length > 253) errs.push('must be no more than 253 characters');
  if (!DNS1123_SUBDOMAIN.test(value)) {
    errs.push("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
  }
  return errs;
}

/** A label or annotation key: `[prefix/]name`, prefix a DNS subdomain, name ≤ 63. */
export function qualifiedName(value: string): string[] {
  if (isTemplateExpression(value)) return [];
  // As value.split('/'): one part, two parts (prefix/name), or more (invalid).
  const slash = value.indexOf('/');
  let name: string;
  const errs: string[] = [];
  if (slash < 0) {
    name = value;
  } else if (value.indexOf('/', slash + 1) < 0) {
    const prefix = value.slice(0, slash);
    name = value.slice(slash + 1);
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...dns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (name.length > 0 && !QUALIFIED_NAME_PART.test(name)) {
    errs.push("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  }
  return errs;
}

export function labelValue(value: string): string[] {
  if (isTemplateExpression(value)) return [];
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) {
    errs.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  }
  return errs;
}

/** An IANA service name, the syntax of named ports (IsValidPortName). */
export function portName(value: string): string[] {
  if (isTemplateExpression(value)) return [];
  const errs: string[] = [];
  if (value.length < 1 || value.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(value)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (value.includes('--')) errs.push("must not contain consecutive hyphens");
  if (!/[a-z]/.test(value)) errs.push('must contain at least one letter (a-z)');
  if (value.startsWith('-') || value.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function portNumber(value: number): string[] {
  return Number.isInteger(value) && value >= 1 && value <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}
