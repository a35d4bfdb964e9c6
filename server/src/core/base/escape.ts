/**
 * Escaping of untrusted strings for every output format: names, labels, kinds, file
 * paths and messages come from the files we read, and files can say anything (the API
 * server would reject a name with a newline or `<`, but we render what the file holds,
 * rejected or not). Each function makes a value inert in one format and leaves the
 * characters that legal names, address ranges and connection strings use untouched, so
 * ordinary output is byte for byte what netpol-analyzer prints.
 *
 * Format → function: plain text lines (CLI text, stderr notes, editor labels and
 * messages) → {@link textLine}; editor labels with `$(icon)` syntax → {@link iconLabel};
 * Markdown code spans → {@link codeSpan}; other Markdown
 * text (link texts, messages) → {@link markdownText}; GFM table cells →
 * {@link markdownCell}; HTML → {@link html}; CSV → {@link csvCell}; Graphviz DOT →
 * {@link dotString}; Mermaid → {@link mermaidLabel}. JSON and SARIF need none
 * (JSON.stringify escapes).
 */

/**
 * Characters that break or disguise a line: C0 controls, DEL, C1 controls, the Unicode
 * line and paragraph separators, bidirectional overrides and isolates (which reorder what
 * the reader sees), and the byte-order mark.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * CI log commands: GitHub Actions' `::error file=…::text` at the start of a line (after
 * blanks), its older `##[error]` form, and Azure Pipelines' `##vso[…]` anywhere in a
 * line. IPv6 ranges such as `::-ff::[External]` never match (no letter-led command name
 * followed by a blank or `::`).
 */
const WORKFLOW_COMMAND = /^(\s*):(?=:[A-Za-z][\w-]*(?:\s|::))/;
const HASH_COMMAND = /#(?=#(?:vso)?\[)/gi;

/**
 * A value inside one line of plain text: control characters become visible escapes
 * (`\n`, `\x1b`, `\u202e`), so a value never starts a new line or reorders the line,
 * and a value that would read as a CI log command is defused (its first `:` or `#`
 * written `\x3a`/`\x23`). Nothing else changes: backslashes stay (file paths on Windows),
 * so `\n` in the output may also be a literal backslash-n in the input.
 */
export function textLine(s: string): string {
  let out = CONTROL.test(s) ? s.replace(CONTROLS, visible) : s;
  if (out.includes('::')) out = out.replace(WORKFLOW_COMMAND, '$1\\x3a');
  if (out.includes('##')) out = out.replace(HASH_COMMAND, '\\x23');
  return out;
}

/**
 * An inline Markdown code span holding the value as text: the fence is one backtick
 * longer than the longest backtick run inside (padded with a space where the value
 * touches a backtick), and control characters are visible, so no value closes the span,
 * ends the paragraph or starts a line. HTML, links and emphasis inside a code span are
 * text in CommonMark.
 */
export function codeSpan(s: string): string {
  const text = textLine(s);
  if (text === '') return '` `';
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/**
 * Markdown inline text (a sentence, a link text) inside a line we write: every ASCII
 * character with a meaning in CommonMark/GFM inline syntax is backslash-escaped
 * (emphasis, code, links and images, raw HTML and autolinks, entities, tables,
 * strikethrough), and `$` too, so that VS Code's `$(icon)` syntax stays text.
 * Characters that only matter at the start of a line (`#`, `-`, `+`, `>`, digits) are
 * not escaped beyond that: the value never starts one (see {@link textLine}).
 */
export function markdownText(s: string): string {
  return textLine(s).replace(/[\\`*_[\]()<>&|~$!]/g, '\\$&');
}

/**
 * A GFM table cell: like {@link markdownText} (and `|` escaped, so no value adds a
 * column), but `[` and `]` stay: netpol-analyzer's tables write `ns/name[Kind]` and
 * `[External]` raw, and without `(` (escaped) brackets make no link.
 */
export function markdownCell(s: string): string {
  return textLine(s).replace(/[\\`*_()<>&|~$]/g, '\\$&');
}

/**
 * An editor label that renders theme icons (`$(name)`: VS Code's quick picks, status bar,
 * code lens titles): one line as {@link textLine}, and every `$(` of the value escaped
 * (`\$(`), so only our own icons are drawn.
 */
export function iconLabel(s: string): string {
  return textLine(s).replace(/\$\(/g, '\\$(');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML text and (single- or double-quoted) attribute values. */
export function html(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * A CSV field (RFC 4180) that a spreadsheet opens as text and a log shows on one line:
 * control characters visible (as {@link textLine}: CSV printed into a CI log must not
 * forge a line either); a value that would start a formula (`=`, `+`, `-`, `@`, also
 * after blanks or in their full-width forms) gets a `'` in front, as OWASP recommends;
 * then fields with a quote, a comma, such a `'` or surrounding blanks are quoted.
 */
export function csvCell(s: string): string {
  const text = textLine(s);
  const neutral = /^\s*[=+\-@\uff1d\uff0b\uff0d\uff20]/.test(text) ? `'${text}` : text;
  return neutral !== text || /[",]|^\s|\s$/.test(neutral) ? `"${neutral.replace(/"/g, '""')}"` : neutral;
}

/**
 * A double-quoted Graphviz DOT string: control characters visible, backslashes doubled
 * (so no `\n`, `\l` or `\N` escape of DOT applies), quotes escaped.
 */
export function dotString(s: string): string {
  return `"${textLine(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const MERMAID_ENTITIES: Record<string, string> = { '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '&': '#amp;', '`': '#96;', '|': '#124;' };

/**
 * A double-quoted Mermaid label: control characters visible; `#`, quotes, `<`, `>`, `&`,
 * backticks and `|` as Mermaid's `#…;` entities, so the label neither ends early, nor
 * opens a Markdown string, nor carries HTML into the rendered diagram.
 */
export function mermaidLabel(s: string): string {
  return `"${textLine(s).replace(/[#"<>&`|]/g, (c) => MERMAID_ENTITIES[c])}"`;
}
