/**
 * `--kustomize DIR`: DIR rendered by the real kustomize (node/kustomize-render.ts: local
 * references only, no plugins, exec or Helm) is analysed as one more file, and what is
 * found in it is put back on the source lines through kustomize's origin annotations:
 * the source object's line, or the line of the same field in it when the source has it
 * (kustomize re-orders keys, so the rendered line says nothing of the source's). An object
 * whose origin is unknown (a generated ConfigMap) stays at its line of the rendered stream.
 */
import { relative } from 'node:path';
import { parseAllDocuments, isMap, isSeq, type Node } from 'yaml';
import { LineIndex, type LocatedFinding, type SourceFile, type Span } from '../core';
import { InputError } from '../node/read-files';
import { KustomizeRenderError, renderedAt, renderKustomize, type KustomizeRender, type RenderedObject } from '../node/kustomize-render';

export interface KustomizeInput {
  /** The rendered stream, as the file the analysis reads. */
  readonly file: SourceFile;
  readonly render: KustomizeRender;
}

/** Renders DIR; a refusal (a remote base, no kubectl, a failed build) is an input error with kustomize's reason. */
export function renderForAnalysis(dir: string): KustomizeInput {
  let render: KustomizeRender;
  try {
    render = renderKustomize(dir, { untrusted: [process.cwd()] });
  } catch (e) {
    if (e instanceof KustomizeRenderError) throw new InputError(`--kustomize ${dir}: ${e.message}`);
    throw e;
  }
  return { file: { path: `${dir} (kustomize build)`, text: render.text }, render };
}

/** `spec.ingress[0].from[1]` → ['spec', 'ingress', 0, 'from', 1]. */
function pathParts(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/\[(\d+)\]|([^.[\]]+)/g)) out.push(m[1] !== undefined ? Number(m[1]) : m[2]);
  return out;
}

/**
 * Where a finding on a rendered object sits in its source: the deepest node of the
 * finding's YAML path that the source object has (kustomize adds fields, never removes
 * the ones the subset cares about), else the object's first line.
 */
function sourceOffset(text: string, o: RenderedObject, path: string): number | undefined {
  const source = o.origin?.source;
  if (!source) return undefined;
  try {
    const docs = parseAllDocuments(text);
    const list = Array.isArray(docs) ? docs : [docs];
    let node: Node | null | undefined = list[source.documentIndex]?.contents as Node | null;
    for (const i of source.itemPath) {
      const items: unknown = isMap(node) ? node.get('items', true) : undefined;
      node = isSeq(items) ? (items.items[i] as Node | undefined) : undefined;
    }
    if (!node || node.range?.[0] !== source.offset) return source.offset;
    let best = source.offset;
    for (const part of pathParts(path)) {
      if (typeof part === 'number') node = isSeq(node) ? (node.items[part] as Node | undefined) : undefined;
      else if (isMap(node)) {
        const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === part);
        // The key's line: where the field is written.
        const keyRange = (pair?.key as Node | undefined)?.range;
        if (keyRange) best = keyRange[0];
        node = pair?.value as Node | undefined;
        continue;
      } else node = undefined;
      if (!node) break;
      if (node.range) best = node.range[0];
    }
    return best;
  } catch {
    return source.offset;
  }
}

/** Findings on the rendered stream, put on their source files' lines (paths relative to the current folder, as the user named DIR). */
export function mapRenderedFindings(input: KustomizeInput, located: readonly LocatedFinding[]): LocatedFinding[] {
  const texts = new Map(input.render.files.map((f) => [f.path, f.text]));
  const indexes = new Map<string, LineIndex>();
  const rendered = new LineIndex(input.file.text);
  const out = located.map((f) => {
    if (f.file !== input.file.path) return f;
    const o = renderedAt(input.render, rendered.offsetAt({ line: f.line - 1, character: f.column - 1 }));
    const origin = o?.origin;
    const text = origin ? texts.get(origin.file) : undefined;
    if (!o || !origin || text === undefined) return f;
    const offset = sourceOffset(text, o, f.path) ?? 0;
    let idx = indexes.get(origin.file);
    if (!idx) indexes.set(origin.file, (idx = new LineIndex(text)));
    const p = idx.positionAt(offset);
    return { ...f, file: relative(process.cwd(), origin.file) || origin.file, line: p.line + 1, column: p.character + 1, endLine: p.line + 1, endColumn: p.character + 1 };
  });
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)));
}

/** `file:line` of a span in the rendered stream, on its source when the origin is known. */
export function renderedLocation(input: KustomizeInput, span: Span): string | undefined {
  if (span.file !== input.file.path) return undefined;
  const o = renderedAt(input.render, span.start);
  const origin = o?.origin;
  const text = origin ? input.render.files.find((f) => f.path === origin.file)?.text : undefined;
  if (!origin || text === undefined) return undefined;
  const line = new LineIndex(text).positionAt(origin.source?.offset ?? 0).line + 1;
  return `${relative(process.cwd(), origin.file) || origin.file}:${line}`;
}
