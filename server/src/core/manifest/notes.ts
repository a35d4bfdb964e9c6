import { AnchoredSpan, type DocAnchor, type Span } from '../base/span';
import type { LimitHit, ParsedDocument } from '../yaml/parse';
import type { DocumentChunk } from '../yaml/split';
import { LOOKS_KUBERNETES } from './detect';
import type { LoadNote, ManifestObject } from './types';

/**
 * The notes of loading: YAML errors, bounds (the code of a limit rule where the document
 * looks like Kubernetes), documents and objects left out by a failure of ours.
 */

/** A note about a document that does not parse as YAML (the only error note without a code). */
export function isYamlError(n: LoadNote): boolean {
  return n.severity === 'error' && n.code === undefined;
}

/**
 * What a bound keeps from being read. The code (a rule id, rules/limits) is set only on
 * a document that looks like Kubernetes: other YAML is not ours to judge, and gets an
 * informational note (printed by the CLI's reach, explain and diff) instead.
 */
export function limitNote(anchor: DocAnchor, limit: LimitHit, text: string): LoadNote {
  const span = new AnchoredSpan(anchor, limit.start, Math.max(limit.end, limit.start));
  const ours = LOOKS_KUBERNETES.test(text);
  const note = (severity: LoadNote['severity'], message: string): LoadNote =>
    ours ? { file: anchor.file, code: limit.code, severity, span, message } : { file: anchor.file, severity: 'info', span, message };
  switch (limit.code) {
    case 'nesting-too-deep':
      return note(
        'warning',
        `This document is not analysed: it nests mappings, lists and flow collections more than ${limit.maxDepth} levels deep, past NetPol's limit (Kubernetes objects nest about 15 deep). Flatten it, or split it into several documents.`,
      );
    case 'excessive-aliasing': {
      const a = limit.aliases;
      if (a.kind === 'cycle') {
        return note(
          'error',
          `This document is not analysed: the alias *${a.anchor} is inside the node it refers to (&${a.anchor}), an endless structure. kubectl refuses it too ("anchor '${a.anchor}' value contains itself"). Refer to a node outside it, or write the part out.`,
        );
      }
      const share = (Math.floor((10000 * a.aliasCount) / a.decodeCount) / 100).toFixed(2);
      return note(
        'error',
        `This document is not analysed: up to this alias it decodes to ${a.decodeCount.toLocaleString('en-US')} nodes, ${share}% of them copies made by aliases, more than kubectl's YAML decoder allows (99% for up to 400,000 nodes, falling to 10% at 4,000,000): kubectl refuses it too ("document contains excessive aliasing"). Write the repeated parts out, or alias smaller ones.`,
      );
    }
    case 'document-too-large':
      return note(
        'warning',
        `This document is not analysed: it is ${sizeText(limit.length)} and needs the full YAML parser (it uses anchors, tags, tabs or other YAML beyond what Kubernetes manifests usually use, or it is not valid YAML), which takes documents of up to ${sizeText(limit.maxFullParseLength)} here. Split it into smaller documents, or write it in plain YAML (no tabs, anchors or tags).`,
      );
  }
}

function sizeText(length: number): string {
  if (length >= 1048576) return `${(length / 1048576).toFixed(1)} MB`;
  if (length >= 1024) return `${Math.round(length / 1024)} KB`;
  return `${length} characters`;
}

/** A document past the per-file bound: one note, on the first one left out. */
export function tooManyDocumentsNote(path: string, chunks: readonly DocumentChunk[], max: number, ours: boolean): LoadNote {
  const first = chunks[max];
  const [start, end] = firstContentLine(first.text);
  return {
    file: path,
    ...(ours ? { code: 'too-many-documents', severity: 'warning' as const } : { severity: 'info' as const }),
    span: { file: path, start: first.start + start, end: first.start + end },
    message: `This file holds ${chunks.length.toLocaleString('en-US')} YAML documents; NetPol analyses the first ${max.toLocaleString('en-US')} of a file, so this one and the ${(chunks.length - max - 1).toLocaleString('en-US')} after it are not analysed. Split the file.`,
  };
}

/** A document (or object) that could not be read because of a bug of ours: say so, and where. */
export function documentSkippedNote(anchor: DocAnchor, text: string, error: unknown, what = 'document'): LoadNote {
  const [start, end] = firstContentLine(text);
  return {
    file: anchor.file,
    code: 'document-skipped',
    severity: 'warning',
    span: new AnchoredSpan(anchor, start, end),
    message: `This ${what} could not be analysed and is left out (${errorText(error)}): a NetPol bug, please report it with this ${what}. The rest of the workspace is analysed.`,
  };
}

/** The first line of a document chunk's content (after its `---` marker line), from its first non-blank. */
function firstContentLine(text: string): [number, number] {
  const marker = /^---[^\n]*\n?/.exec(text);
  const from = marker ? marker[0].length : 0;
  const found = text.slice(from).search(/\S/);
  const start = found < 0 ? 0 : from + found;
  return [start, start + text.slice(start).search(/\r?\n|$/)];
}

/** An object the model could not read (a bug of ours): one note, on its `kind`. */
export function objectSkippedNote(obj: ManifestObject, error: unknown): LoadNote {
  let span: Span = { file: obj.span.file, start: obj.span.start, end: obj.span.start };
  try {
    const pair = obj.reader.pair(obj.map, 'kind');
    span = (pair && obj.reader.pairSpan(pair)) ?? span;
  } catch {
    // The object's tree itself is out of reach: its first character stands for it.
  }
  return {
    file: obj.span.file,
    code: 'document-skipped',
    severity: 'warning',
    span,
    message: `This ${obj.kind} could not be analysed and is left out (${errorText(error)}): a NetPol bug, please report it with this object. The rest of the workspace is analysed.`,
  };
}

/** An error's message, on one line and bounded (it may quote the input). */
export function errorText(e: unknown): string {
  const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

export function yamlErrorNote(anchor: DocAnchor, parsed: ParsedDocument): LoadNote {
  const e = parsed.errors[0];
  const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more)` : '';
  return {
    file: anchor.file,
    severity: 'error',
    span: new AnchoredSpan(anchor, e.start, Math.max(e.end, e.start)),
    message: `Invalid YAML: ${e.message}${more}; this document is skipped`,
  };
}
