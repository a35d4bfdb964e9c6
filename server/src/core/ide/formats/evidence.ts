import { LineIndex, type Span } from '../../base/span';
import { textLine } from '../../base/escape';
import { endName } from '../../evidence/evidence';
import type { Evidence, EvidencedFlow, EvidenceKind } from '../../evidence/types';

/** One evidenced flow for people and tools: ends by name, the evidence at `file:line`. */
export interface LocatedFlow {
  readonly src: string;
  readonly dst: string;
  readonly protocol: string;
  readonly port: number;
  readonly service?: string;
  readonly kind: EvidenceKind;
  readonly file: string;
  readonly line: number;
  readonly what: string;
}

export interface LocatedNote {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** 1-based line of a span. */
export function lineLocator(textOf: (file: string) => string): (span: Span) => number {
  const indexes = new Map<string, LineIndex>();
  return (span) => {
    let idx = indexes.get(span.file);
    if (!idx) indexes.set(span.file, (idx = new LineIndex(textOf(span.file))));
    return idx.positionAt(span.start).line + 1;
  };
}

export function locateFlow(f: EvidencedFlow, lineOf: (span: Span) => number): LocatedFlow {
  return {
    src: endName(f.src),
    dst: endName(f.dst),
    protocol: f.protocol,
    port: f.port,
    ...(f.service ? { service: `${f.service.namespace}/${f.service.name}:${f.service.port}` } : {}),
    kind: f.kind,
    file: f.where.file,
    line: lineOf(f.where),
    what: f.what,
  };
}

/** Flows sorted by source, destination, protocol and port, then where. */
export function locateEvidence(ev: Evidence, lineOf: (span: Span) => number): { flows: LocatedFlow[]; notes: LocatedNote[] } {
  const flows = ev.flows.map((f) => locateFlow(f, lineOf));
  flows.sort((a, b) => cmp(a.src, b.src) || cmp(a.dst, b.dst) || cmp(a.protocol, b.protocol) || a.port - b.port || cmp(a.file, b.file) || a.line - b.line || cmp(a.what, b.what));
  const notes = ev.notes.map((n) => ({ file: n.span.file, line: lineOf(n.span), message: n.message }));
  notes.sort((a, b) => cmp(a.file, b.file) || a.line - b.line || cmp(a.message, b.message));
  return { flows, notes };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `src => dst : TCP 8080  (via svc:port)  file:line what`, then the notes. */
export function formatEvidenceText(located: { flows: readonly LocatedFlow[]; notes: readonly LocatedNote[] }): string {
  const lines = located.flows.map(
    (f) => `${textLine(f.src)} => ${textLine(f.dst)} : ${f.protocol} ${f.port}${f.service ? ` (via ${textLine(f.service)})` : ''}  [${f.kind}] ${textLine(f.file)}:${f.line} ${textLine(f.what)}\n`,
  );
  for (const n of located.notes) lines.push(`${textLine(n.file)}:${n.line}: info: ${textLine(n.message)}\n`);
  return lines.join('');
}
