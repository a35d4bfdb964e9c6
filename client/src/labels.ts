/**
 * Names from the workspace's files where the client itself shows them: tree items,
 * quick picks, the status bar and Markdown tooltips. Files can say anything (a newline,
 * a bidirectional override, `$(icon)`, backticks, HTML), and each helper makes a value
 * inert in one of these widgets. What the server writes (diagnostics, hovers, lenses,
 * exports) the server escapes; webviews show names as DOM text (webview/view-node.ts).
 * No `vscode` import: unit-tested under plain Node.
 */

/**
 * Characters that break or disguise a line: C0 and C1 controls, DEL, the Unicode line and
 * paragraph separators, bidirectional marks, overrides and isolates, the byte-order mark.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Plain text on one line: each invisible character shown as an escape (`\n`, `\u202e`), so a name never breaks or reorders the line. */
export function oneLine(s: string): string {
  return s.replace(INVISIBLE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A label that draws theme icons (`$(name)`: quick picks, the status bar): one line, and the value's own `$(` drawn as text. */
export function iconLabel(s: string): string {
  return oneLine(s).replace(/\$\(/g, '\\$(');
}

/** Text inside Markdown: every ASCII punctuation character backslash-escaped (CommonMark allows it for all), so nothing in the value is syntax, an icon or HTML. */
export function markdownText(s: string): string {
  return oneLine(s).replace(/[!-/:-@[-`{-~]/g, '\\$&');
}

/**
 * The value as a Markdown code span (a name, a path, a connection string): fenced with
 * one backtick more than its longest backtick run, padded where it touches a backtick.
 * Inside a code span HTML, links and emphasis are text.
 */
export function markdownCode(s: string): string {
  const text = oneLine(s);
  if (text === '') return '` `';
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}
