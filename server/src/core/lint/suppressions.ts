import { splitDocuments } from '../yaml/split';
import type { LoadedFile } from '../manifest/types';
import type { Finding, RuleMeta, Severity } from './rule';

/**
 * Suppressions written in the manifests, with a reason, as linters' users expect:
 *
 * - `# netpol-disable-next-line rule-a, rule-b -- reason`: the next line that is not blank or
 *   a comment;
 * - `# netpol-disable rule-a -- reason`: the whole YAML document the comment is in;
 * - the annotation `netpol.studio/disable: "rule-a, rule-b -- reason"` (one directive per
 *   line of its value): the object that carries it.
 *
 * A directive is a full-line comment (a `#` after a value is not read). Without a reason it
 * does not apply; it is reported (invalid-suppression), as are unknown rule ids, and a
 * directive that suppresses nothing (unused-suppression). Suppressed findings are kept,
 * with the reason, for `--show-suppressed` and SARIF.
 */

export const SUPPRESSION_ANNOTATION = 'netpol.studio/disable';
/** What the "Suppress here" action writes as the reason: a placeholder, reported until it is replaced. */
export const REASON_PLACEHOLDER = '<reason>';

export const invalidSuppressionMeta: RuleMeta = {
  id: 'invalid-suppression',
  category: 'validation',
  defaultSeverity: 'info',
  description: 'A netpol-disable comment or annotation without a reason, or naming a rule id that does not exist: it does not suppress (that rule).',
};

export const unusedSuppressionMeta: RuleMeta = {
  id: 'unused-suppression',
  category: 'validation',
  defaultSeverity: 'info',
  description: 'A netpol-disable comment or annotation names a rule that reports nothing where it applies: remove it before it hides a future finding.',
};

export type SuppressionKind = 'next-line' | 'document' | 'annotation';

export interface Suppression {
  readonly kind: SuppressionKind;
  /** The rule ids named, each with its offsets in the file. */
  readonly rules: readonly { readonly id: string; readonly start: number; readonly end: number }[];
  /** Undefined when missing (or still the placeholder). */
  readonly reason: string | undefined;
  /** The directive's offsets (the comment, or the annotation's value). */
  readonly start: number;
  readonly end: number;
  /** Offsets covered: a finding whose span starts in [from, to) is suppressed. */
  readonly from: number;
  readonly to: number;
}

/** A suppressed finding and why. */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly kind: SuppressionKind;
  readonly justification: string;
}

const MARKERS = ['netpol-disable', SUPPRESSION_ANNOTATION];
/** What every marker holds. */
const MARKER_STEM = 'netpol';
const COMMENT = /^[ \t]*#[ \t]*netpol-disable(-next-line)?(?=[ \t]|$)(.*)$/;

/** Cached per loaded file (an unchanged file keeps its LoadedFile, and so its directives). */
const cache = new WeakMap<LoadedFile, { readonly text: string; readonly list: readonly Suppression[] }>();

/** The suppressions of a file (its text as loaded). */
export function fileSuppressions(file: LoadedFile, text: string): readonly Suppression[] {
  const hit = cache.get(file);
  if (hit && hit.text === text) return hit.list;
  // Both markers hold `netpol`: a file without it (most, and all of a cluster dump's
  // hundreds of megabytes) is searched once, not once per marker.
  const list = text.includes(MARKER_STEM) && MARKERS.some((m) => text.includes(m)) ? parse(file, text) : [];
  cache.set(file, { text, list });
  return list;
}

function parse(file: LoadedFile, text: string): Suppression[] {
  const out: Suppression[] = [];
  if (text.includes('netpol-disable')) {
    const chunks = splitDocuments(text);
    let lineStart = 0;
    while (lineStart <= text.length) {
      const nl = text.indexOf('\n', lineStart);
      const lineEnd = nl === -1 ? text.length : nl;
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
      const m = COMMENT.exec(line);
      if (m) {
        const bodyStart = lineStart + line.length - m[2].length;
        const body = directiveBody(m[2], bodyStart);
        // The directive from its name on (a `#` at column 0 is no place for a marker, and the name is what is read).
        const start = lineStart + line.indexOf('netpol-disable');
        const end = lineStart + line.length;
        if (m[1]) {
          const next = nextCodeLine(text, nl === -1 ? text.length : nl + 1);
          out.push({ kind: 'next-line', ...body, start, end, from: next.start, to: next.end });
        } else {
          const chunk = chunks.find((c) => c.start <= lineStart && lineStart < c.end) ?? chunks[chunks.length - 1];
          out.push({ kind: 'document', ...body, start, end, from: chunk?.start ?? 0, to: chunk?.end ?? text.length });
        }
      }
      if (nl === -1) break;
      lineStart = nl + 1;
    }
  }
  if (text.includes(SUPPRESSION_ANNOTATION)) {
    for (const obj of file.objects) {
      const r = obj.reader;
      const annotations = r.map(r.get(r.map(r.get(obj.map, 'metadata')), 'annotations'));
      const node = r.get(annotations, SUPPRESSION_ANNOTATION);
      const value = r.string(node);
      const span = r.span(node);
      if (value === undefined || !span) continue;
      // Offsets of each line of the value in the file are exact for a plain one-line
      // value; for other styles the directive points at the whole value.
      const raw = text.slice(span.start, span.end);
      // A quoted value without escapes maps one to one too, one character in.
      const quoted = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0] && raw.slice(1, -1) === value;
      const exact = raw === value || quoted;
      let offset = quoted ? 1 : 0;
      for (const line of value.split('\n')) {
        const at = exact ? span.start + offset : undefined;
        offset += line.length + 1;
        if (line.trim() === '') continue;
        const body = directiveBody(line, at);
        out.push({
          kind: 'annotation',
          ...body,
          rules: body.rules.map((x) => (exact ? x : { id: x.id, start: span.start, end: span.end })),
          start: span.start,
          end: span.end,
          from: obj.span.start,
          to: obj.span.end,
        });
      }
    }
  }
  return out;
}

/** `rule-a, rule-b -- reason` → the ids (with offsets when `at`, the body's offset, is known) and the reason. */
function directiveBody(body: string, at: number | undefined): { rules: { id: string; start: number; end: number }[]; reason: string | undefined } {
  const sep = /(^|\s)--(\s|$)/.exec(body);
  const idsText = sep ? body.slice(0, sep.index) : body;
  const reasonText = sep ? body.slice(sep.index + sep[0].length).trim() : '';
  const rules: { id: string; start: number; end: number }[] = [];
  const re = /[^\s,]+/g;
  for (let m = re.exec(idsText); m; m = re.exec(idsText)) {
    const start = (at ?? 0) + m.index;
    rules.push({ id: m[0], start, end: start + m[0].length });
  }
  return { rules, reason: reasonText === '' || reasonText === REASON_PLACEHOLDER ? undefined : reasonText };
}

/** The next line from `from` that holds something besides blanks and comments. */
function nextCodeLine(text: string, from: number): { start: number; end: number } {
  let start = from;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    const t = text.slice(start, end).trim();
    if (t !== '' && !t.startsWith('#')) return { start, end: end + 1 };
    if (nl === -1) break;
    start = nl + 1;
  }
  return { start: text.length, end: text.length + 1 };
}

export interface SuppressOptions {
  /** A rule id the catalog knows. */
  readonly known: (id: string) => boolean;
  /** Whether a directive naming this (known) rule that suppressed nothing is worth reporting: not for rules that are off, nor for change rules (no edit pending is no reason to remove it). */
  readonly judgeUnused: (id: string) => boolean;
  readonly severities?: Readonly<Record<string, Severity | 'off'>>;
}

export interface SuppressResult {
  /** The findings that stand, with the reports about the directives themselves. */
  readonly findings: Finding[];
  readonly suppressed: SuppressedFinding[];
}

/**
 * Applies the directives of the files to the findings: suppressed ones move to
 * `suppressed`; directives without a reason, unknown ids and directives that suppressed
 * nothing are reported (when `report` is true: the editor's change findings are filtered
 * without judging the directives twice).
 */
export function applySuppressions(findings: readonly Finding[], files: readonly LoadedFile[], textOf: (file: string) => string | undefined, options: SuppressOptions, report = true): SuppressResult {
  const byFile = new Map<string, readonly Suppression[]>();
  for (const f of files) {
    const text = textOf(f.path);
    if (text === undefined) continue;
    const list = fileSuppressions(f, text);
    if (list.length > 0) byFile.set(f.path, list);
  }
  if (byFile.size === 0) return { findings: [...findings], suppressed: [] };
  const used = new Set<string>();
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const list = byFile.get(f.span.file);
    const start = f.span.start;
    const by = list?.find((s) => s.reason !== undefined && s.from <= start && start < s.to && s.rules.some((r) => r.id === f.rule));
    if (!by) {
      kept.push(f);
      continue;
    }
    used.add(`${f.span.file}\u0000${by.start}\u0000${by.from}\u0000${f.rule}`);
    suppressed.push({ finding: f, kind: by.kind, justification: by.reason as string });
  }
  if (!report) return { findings: kept, suppressed };
  const severityOf = (meta: RuleMeta) => options.severities?.[meta.id] ?? meta.defaultSeverity;
  const invalid = severityOf(invalidSuppressionMeta);
  const unused = severityOf(unusedSuppressionMeta);
  for (const [file, list] of byFile) {
    for (const s of list) {
      const what = s.kind === 'annotation' ? `The annotation ${SUPPRESSION_ANNOTATION}` : `This netpol-disable${s.kind === 'next-line' ? '-next-line' : ''} comment`;
      if (invalid !== 'off' && s.rules.length === 0) {
        kept.push({ rule: invalidSuppressionMeta.id, severity: invalid, message: `${what} names no rule, so it suppresses nothing. Write the rule ids and a reason: ${example(s.kind)}.`, span: { file, start: s.start, end: s.end }, path: '' });
        continue;
      }
      if (invalid !== 'off' && s.reason === undefined) {
        kept.push({
          rule: invalidSuppressionMeta.id,
          severity: invalid,
          message: `${what} gives no reason, so it does not apply: a suppression says why the finding is accepted, for the next reader. Write the reason after " -- ": ${example(s.kind, s.rules[0]?.id)}.`,
          span: { file, start: s.start, end: s.end },
          path: '',
        });
      }
      for (const r of s.rules) {
        if (!options.known(r.id)) {
          if (invalid !== 'off') {
            kept.push({
              rule: invalidSuppressionMeta.id,
              severity: invalid,
              message: `"${r.id}" is no rule id of NetPol, so nothing is suppressed under that name. Use the id the diagnostic shows (its code, like allow-all-peers); docs/rules/README.md lists them.`,
              span: { file, start: r.start, end: r.end },
              path: '',
            });
          }
          continue;
        }
        if (unused === 'off' || s.reason === undefined || !options.judgeUnused(r.id)) continue;
        if (used.has(`${file}\u0000${s.start}\u0000${s.from}\u0000${r.id}`)) continue;
        const where = s.kind === 'next-line' ? 'on the line below' : s.kind === 'document' ? 'in this document' : 'on this object';
        kept.push({
          rule: unusedSuppressionMeta.id,
          severity: unused,
          message: `Rule ${r.id} reports nothing ${where}, so this suppression is unused. Remove it (or the rule id), before it hides a future finding nobody looked at.`,
          span: { file, start: r.start, end: r.end },
          path: '',
        });
      }
    }
  }
  return { findings: kept, suppressed };
}

function example(kind: SuppressionKind, id = 'allow-all-peers'): string {
  if (kind === 'annotation') return `${SUPPRESSION_ANNOTATION}: "${id} -- egress is open by design"`;
  return `# netpol-disable${kind === 'next-line' ? '-next-line' : ''} ${id} -- egress is open by design`;
}

/** The edit that inserts a suppression for a finding above its line, or at the top of its document; undefined where a comment line cannot go. */
export function suppressionEdit(
  text: string,
  finding: Finding,
  kind: 'next-line' | 'document',
): { readonly at: number; readonly text: string; readonly snippet: string } | undefined {
  const start = finding.span.start;
  if (start > text.length) return undefined;
  const directive = kind === 'next-line' ? 'netpol-disable-next-line' : 'netpol-disable';
  if (kind === 'next-line') {
    const lineStart = text.lastIndexOf('\n', start - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
    const head = `${indent}# ${directive} ${finding.rule} -- `;
    return { at: lineStart, text: `${head}${REASON_PLACEHOLDER}\n`, snippet: `${escapeSnippet(head)}\${1:${escapeSnippet(REASON_PLACEHOLDER)}}\n` };
  }
  const chunk = splitDocuments(text).find((c) => c.start <= start && start < c.end) ?? { start: 0, text };
  // After a leading `---` line: the comment belongs to the document, not the one before.
  const marker = /^---[^\n]*\n/.exec(chunk.text);
  const at = chunk.start + (marker ? marker[0].length : 0);
  const head = `# ${directive} ${finding.rule} -- `;
  return { at, text: `${head}${REASON_PLACEHOLDER}\n`, snippet: `${escapeSnippet(head)}\${1:${escapeSnippet(REASON_PLACEHOLDER)}}\n` };
}

function escapeSnippet(s: string): string {
  return s.replace(/[\\$}]/g, (c) => `\\${c}`);
}
