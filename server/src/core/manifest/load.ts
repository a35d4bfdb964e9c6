import { isMap, type YAMLMap } from 'yaml';
import { ParseCache, parseYamlDocument, type LimitHit, type ParsedDocument } from '../yaml/parse';
import { DOCUMENT_LIMITS } from '../yaml/limits';
import { splitDocuments, type DocumentChunk } from '../yaml/split';
import { NodeReader } from '../yaml/nodes';
import { AnchoredSpan, type DocAnchor, type Span } from '../base/span';

/** A file handed to the core: the caller (CLI, server) did the I/O. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** One Kubernetes object found in a file, with the reader that resolves its spans. */
export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly map: YAMLMap;
  readonly reader: NodeReader;
  readonly span: Span;
}

/**
 * What one document parses into: its tree and the reader over it. Kept while the
 * document's objects are in use; a batch loader lets go of it once the model has read
 * the objects, and it is parsed again (identically) if anything asks later.
 */
class DocumentSyntax {
  private parsed: { readonly root: YAMLMap; readonly reader: NodeReader } | undefined;

  constructor(
    private readonly text: string,
    private readonly anchor: DocAnchor,
    root: YAMLMap,
    reader: NodeReader,
  ) {
    this.parsed = { root, reader };
  }

  get reader(): NodeReader {
    return this.tree().reader;
  }

  /** The object at `path`: the document's mapping, or an item (by index) of its `items` lists. */
  objectAt(path: readonly number[]): YAMLMap {
    const { root, reader } = this.tree();
    let map = root;
    // As collectObjects found it (the same parse gives the same tree).
    for (const i of path) map = reader.map(reader.items(reader.get(map, 'items'))[i]) as YAMLMap;
    return map;
  }

  release(): void {
    this.parsed = undefined;
  }

  private tree(): { readonly root: YAMLMap; readonly reader: NodeReader } {
    if (!this.parsed) {
      const doc = parseYamlDocument(this.text).doc;
      if (!doc) throw new Error('a loaded document no longer parses');
      this.parsed = { root: doc.contents as YAMLMap, reader: new NodeReader(this.anchor, doc) };
    }
    return this.parsed;
  }
}

/** A ManifestObject as the loader makes it: its tree comes from its document's syntax. */
class LoadedObject implements ManifestObject {
  private tree: YAMLMap | undefined;

  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    readonly span: Span,
    map: YAMLMap,
    private readonly syntax: DocumentSyntax,
    /** Indices into `items` lists from the document's mapping to this object (List kinds). */
    private readonly path: readonly number[],
  ) {
    this.tree = map;
  }

  get map(): YAMLMap {
    return (this.tree ??= this.syntax.objectAt(this.path));
  }

  get reader(): NodeReader {
    return this.syntax.reader;
  }

  /** Lets go of the syntax tree (batch loading); the next use parses the document again. */
  release(): void {
    this.tree = undefined;
    this.syntax.release();
  }
}

/** What loading says about a file or one of its documents: a YAML error, a bound, a skipped Helm template. */
export interface LoadNote {
  readonly file: string;
  /** Set when a rule reports the note as a finding (e.g. 'file-too-large'). */
  readonly code?: string;
  readonly span?: Span;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

export interface LoadedFile {
  readonly path: string;
  readonly objects: readonly ManifestObject[];
  readonly notes: readonly LoadNote[];
  /** True when the file holds at least one Kubernetes object. */
  readonly isKubernetes: boolean;
  /**
   * True when the file holds, or seems meant to hold, Kubernetes objects (an apiVersion
   * or kind key): YAML errors are ours to report only in such files.
   */
  readonly looksKubernetes: boolean;
}

// A Go template action such as `{{ .Values.x }}`, `{{- if` or a template comment.
const HELM_ACTION = /\{\{-?\s*(?:[.$(/"]|[a-z]+\b)/;

export function isHelmTemplate(text: string): boolean {
  return HELM_ACTION.test(text);
}

export interface LoadOptions {
  /** Texts longer than this (UTF-16 units) are not parsed: one note instead. */
  readonly maxLength?: number;
  /**
   * Documents longer than this that need the full YAML parser are skipped (one note
   * each); default DOCUMENT_LIMITS.maxFullParseLength.
   */
  readonly maxFullParseLength?: number;
  /** Documents read per file (default DOCUMENT_LIMITS.maxDocumentsPerFile); one note for the rest. */
  readonly maxDocumentsPerFile?: number;
  /**
   * Called for each object of a batch load while its document's syntax tree is at hand,
   * before the tree is let go (analysis/analyze.ts reads what the model needs here).
   */
  readonly prepare?: (obj: ManifestObject) => void;
}

/** The first line's content (a note about a whole file sits on its first line). */
function firstLineSpan(file: SourceFile): Span {
  const text = file.text;
  const nl = text.indexOf('\n');
  const end = nl >= 0 ? nl : Math.min(text.length, 200);
  const start = Math.min(end, text.slice(0, end).search(/\S|$/));
  return { file: file.path, start, end: Math.max(start, end) };
}

// (Blanks, not \s: `\s*` would also eat line breaks, and retry from every line of a long blank run.)
const LOOKS_KUBERNETES = /^[ \t]*(apiVersion|kind)[ \t]*:/m;

export function loadFile(file: SourceFile, cache: ParseCache, options: LoadOptions = {}): LoadedFile {
  if (options.maxLength !== undefined && file.text.length > options.maxLength) {
    const mb = (file.text.length / 1048576).toFixed(1);
    return {
      path: file.path,
      objects: [],
      isKubernetes: false,
      looksKubernetes: true,
      notes: [{
        file: file.path,
        code: 'file-too-large',
        severity: 'warning',
        span: firstLineSpan(file),
        message: `This file is ${mb} MB, over the analysis limit of ${(options.maxLength / 1048576).toFixed(1)} MB (setting netpol.maxFileSizeKB): it is not analysed. Split it, or raise the limit.`,
      }],
    };
  }
  if (isHelmTemplate(file.text)) {
    return {
      path: file.path,
      objects: [],
      isKubernetes: false,
      looksKubernetes: false,
      notes: [{ file: file.path, severity: 'info', message: 'Helm template ({{ … }}): skipped; render it (helm template) to analyse it' }],
    };
  }
  const objects: ManifestObject[] = [];
  const notes: LoadNote[] = [];
  let sawMapping = false;
  const chunks = splitDocuments(file.text);
  const maxDocuments = options.maxDocumentsPerFile ?? DOCUMENT_LIMITS.maxDocumentsPerFile;
  if (chunks.length > maxDocuments) {
    notes.push(tooManyDocumentsNote(file.path, chunks, maxDocuments, LOOKS_KUBERNETES.test(file.text)));
    chunks.length = maxDocuments;
  }
  const limits = { maxFullParseLength: options.maxFullParseLength ?? DOCUMENT_LIMITS.maxFullParseLength };
  if (cache.keepsTrees) {
    const previous = documentsOf(cache).get(file.path);
    const next = new Map<string, DocumentEntry[]>();
    for (const chunk of chunks) {
      // An unchanged document keeps its entry (objects, and through them the model and
      // cached findings); only its anchor moves to where the document now starts.
      let entry = previous?.get(chunk.text)?.shift();
      if (entry && entry.maxFullParseLength === limits.maxFullParseLength) entry.anchor.base = chunk.start;
      else entry = loadDocument(file.path, chunk, cache, limits);
      const same = next.get(chunk.text);
      if (same) same.push(entry);
      else next.set(chunk.text, [entry]);
      if (entry.note) notes.push(entry.note);
      if (entry.mapping) sawMapping = true;
      for (const o of entry.objects) objects.push(o);
    }
    documentsOf(cache).set(file.path, next);
  } else {
    // A batch run: each document is parsed, its objects are read into model records
    // (cached per object, as buildModel would read them), and its tree is let go while
    // it is still young (cheap to collect, and the workspace's trees never pile up).
    for (const chunk of chunks) {
      const entry = loadDocument(file.path, chunk, cache, limits);
      if (entry.note) notes.push(entry.note);
      if (entry.mapping) sawMapping = true;
      // (All objects of a document first: they share its tree.) An object the model
      // cannot read is dropped, with a note, by the model's prepareObject.
      if (options.prepare) for (const o of entry.objects) options.prepare(o);
      for (const o of entry.objects) {
        (o as LoadedObject).release();
        objects.push(o);
      }
    }
  }
  if (objects.length === 0 && sawMapping && notes.length === 0) {
    notes.push({ file: file.path, severity: 'info', message: 'Not a Kubernetes manifest (no apiVersion and kind): skipped' });
  }
  const looksKubernetes = objects.length > 0 || LOOKS_KUBERNETES.test(file.text);
  return { path: file.path, objects, notes, isKubernetes: objects.length > 0, looksKubernetes };
}

/** What one document of a file yields; reused while the document's text is unchanged. */
interface DocumentEntry {
  readonly anchor: DocAnchor;
  readonly objects: readonly ManifestObject[];
  readonly note?: LoadNote;
  readonly mapping: boolean;
  /** The full-parser bound it was loaded with (a document skipped for its size is judged again under another). */
  readonly maxFullParseLength: number;
}

/** Per parse cache: file path -> document text -> entries (a text may repeat in a file). */
const fileDocuments = new WeakMap<ParseCache, Map<string, Map<string, DocumentEntry[]>>>();

function documentsOf(cache: ParseCache): Map<string, Map<string, DocumentEntry[]>> {
  let m = fileDocuments.get(cache);
  if (!m) {
    m = new Map();
    fileDocuments.set(cache, m);
  }
  return m;
}

function loadDocument(path: string, chunk: DocumentChunk, cache: ParseCache, limits: { readonly maxFullParseLength: number }): DocumentEntry {
  const anchor: DocAnchor = { file: path, base: chunk.start };
  const { maxFullParseLength } = limits;
  // One bad document costs only itself: whatever goes wrong in reading it (a bug of
  // ours) becomes one note on it, and the file's other documents load as usual.
  try {
    const parsed = cache.get(chunk.text, maxFullParseLength);
    if (parsed.limit) return { anchor, objects: [], note: limitNote(anchor, parsed.limit, chunk.text), mapping: false, maxFullParseLength };
    if (parsed.errors.length > 0) return { anchor, objects: [], note: yamlErrorNote(anchor, parsed), mapping: false, maxFullParseLength };
    if (!parsed.doc || !isMap(parsed.doc.contents)) return { anchor, objects: [], mapping: false, maxFullParseLength };
    const objects: ManifestObject[] = [];
    const root = parsed.doc.contents as YAMLMap;
    const reader = new NodeReader(anchor, parsed.doc);
    collectObjects(reader, root, objects, 0, new DocumentSyntax(chunk.text, anchor, root, reader), ROOT);
    return { anchor, objects, mapping: true, maxFullParseLength };
  } catch (e) {
    return { anchor, objects: [], note: documentSkippedNote(anchor, chunk.text, e), mapping: false, maxFullParseLength };
  }
}

/** The path of a document's own mapping (no List items to descend into). */
const ROOT: readonly number[] = Object.freeze([]);

/** A note about a document that does not parse as YAML (the only error note without a code). */
export function isYamlError(n: LoadNote): boolean {
  return n.severity === 'error' && n.code === undefined;
}

/**
 * What a bound keeps from being read. The code (a rule id, rules/limits) is set only on
 * a document that looks like Kubernetes: other YAML is not ours to judge, and gets an
 * informational note (printed by the CLI's reach, explain and diff) instead.
 */
function limitNote(anchor: DocAnchor, limit: LimitHit, text: string): LoadNote {
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
function tooManyDocumentsNote(path: string, chunks: readonly DocumentChunk[], max: number, ours: boolean): LoadNote {
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

function yamlErrorNote(anchor: DocAnchor, parsed: ParsedDocument): LoadNote {
  const e = parsed.errors[0];
  const more = parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more)` : '';
  return {
    file: anchor.file,
    severity: 'error',
    span: new AnchoredSpan(anchor, e.start, Math.max(e.end, e.start)),
    message: `Invalid YAML: ${e.message}${more}; this document is skipped`,
  };
}

/**
 * Collects objects, flattening `List` kinds (`kubectl get -o yaml` output). Items of a
 * typed list (`PodList`) from the API often omit their own kind and apiVersion: they
 * inherit them from the list.
 */
function collectObjects(
  reader: NodeReader,
  map: YAMLMap,
  out: ManifestObject[],
  depth: number,
  syntax: DocumentSyntax,
  path: readonly number[],
  inherited?: { kind: string; apiVersion: string },
): void {
  const kind = reader.string(reader.get(map, 'kind')) ?? inherited?.kind;
  const apiVersion = reader.string(reader.get(map, 'apiVersion')) ?? inherited?.apiVersion;
  if (kind === undefined || apiVersion === undefined) return;
  if (kind.endsWith('List') && reader.has(map, 'items') && depth < 4) {
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    reader.items(reader.get(map, 'items')).forEach((item, i) => {
      const m = reader.map(item);
      if (m) collectObjects(reader, m, out, depth + 1, syntax, [...path, i], itemKind ? { kind: itemKind, apiVersion } : undefined);
    });
    return;
  }
  const span = reader.span(map);
  if (!span) return;
  out.push(new LoadedObject(apiVersion, kind, span, map, syntax, path));
}
