import { isMap, type YAMLMap } from 'yaml';
import { ParseCache, parseYamlDocument, type ParsedDocument } from '../yaml/parse';
import { DOCUMENT_LIMITS } from '../yaml/limits';
import { splitDocuments, type DocumentChunk } from '../yaml/split';
import { splitListItems } from './list-items';
import { NodeReader } from '../yaml/nodes';
import type { DocAnchor, Span } from '../base/span';
import { isHelmTemplate, LOOKS_KUBERNETES } from './detect';
import { documentSkippedNote, limitNote, tooManyDocumentsNote, yamlErrorNote } from './notes';
import type { LoadedFile, LoadNote, ManifestObject, SourceFile } from './types';

/**
 * What one document parses into: its tree and the reader over it. Kept while the
 * document's objects are in use; a batch loader lets go of it once the model has read
 * the objects, and it is parsed again (identically) if anything asks later.
 */
class DocumentSyntax {
  private parsed: { readonly root: YAMLMap; readonly reader: NodeReader } | undefined;
  /**
   * Counts the parses: an object's tree is of the parse its reader is of (an alias is
   * resolved in its own document), so an object of a document that was let go and parsed
   * again since takes its tree anew.
   */
  generation = 0;
  /** How many objects were read from the document (more than one: a List's items). */
  objects = 0;

  constructor(
    private readonly text: string,
    private readonly anchor: DocAnchor,
    root: YAMLMap,
    reader: NodeReader,
    /** The text is one item of a List (manifest/list-items.ts): a one-item sequence, the item its object. */
    private readonly listItem = false,
    /** Told of each parse after the first (the tree was let go and something asked for it again). */
    private readonly onReparse?: () => void,
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
      const reader = new NodeReader(this.anchor, doc);
      const root = this.listItem ? reader.map(reader.items(doc.contents)[0]) : (doc.contents as YAMLMap);
      if (!root) throw new Error('a loaded document no longer parses');
      this.parsed = { root, reader };
      this.generation++;
      this.onReparse?.();
    }
    return this.parsed;
  }
}

/** A ManifestObject as the loader makes it: its tree comes from its document's syntax. */
class LoadedObject implements ManifestObject {
  private tree: YAMLMap | undefined;
  private generation = 0;

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
    if (this.tree === undefined || this.generation !== this.syntax.generation) {
      const map = this.syntax.objectAt(this.path);
      this.generation = this.syntax.generation;
      this.tree = map;
    }
    return this.tree;
  }

  get reader(): NodeReader {
    return this.syntax.reader;
  }

  /** Whether other objects come from the same document (the items of a List). */
  get sharesDocument(): boolean {
    return this.syntax.objects > 1;
  }

  /** Lets go of the syntax tree (batch loading); the next use parses the document again. */
  release(): void {
    this.tree = undefined;
    this.syntax.release();
  }
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
   * Called for each object of a newly parsed document while its syntax tree is at hand:
   * in a batch load before the tree is let go, in a cache that keeps trees right after
   * the parse, when reading it is cheapest (analysis/analyze.ts reads what the model and
   * the evidence need here).
   */
  readonly prepare?: (obj: ManifestObject) => void;
  /** The chart layout makes this file a Helm template (manifest/detect.ts: chartTemplates). */
  readonly chartTemplate?: boolean;
  /**
   * With a cache that keeps trees, set for a file the editor does not have open: its new
   * documents are parsed past the cache and prepared, and the tree of a document whose one
   * object this says no to is let go while young, as a batch load does (a List's items
   * keep their shared tree: parsed again, the whole List would be). The entries (objects,
   * and the caches keyed by them) are kept as usual. A tree asked for later is parsed again
   * from the document's text, and `onReparse` is told (the host lets it go again:
   * letGoOfTree).
   */
  readonly keepTree?: (obj: ManifestObject) => boolean;
  /** Called when a document of this load whose tree was let go is parsed again (see keepTree). */
  readonly onReparse?: () => void;
}

/** The first line's content (a note about a whole file sits on its first line). */
function firstLineSpan(file: SourceFile): Span {
  const text = file.text;
  const nl = text.indexOf('\n');
  const end = nl >= 0 ? nl : Math.min(text.length, 200);
  const start = Math.min(end, text.slice(0, end).search(/\S|$/));
  return { file: file.path, start, end: Math.max(start, end) };
}

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
  if (isHelmTemplate(file.text, options.chartTemplate)) {
    return {
      path: file.path,
      objects: [],
      isKubernetes: false,
      looksKubernetes: false,
      notes: [{
        file: file.path,
        code: 'helm-template-skipped',
        span: firstLineSpan(file),
        severity: 'info',
        message: options.chartTemplate
          ? 'This file is a Helm template (under templates/ of a chart): it is not analysed. Render the chart (helm template) and analyse the output.'
          : 'This file is a Helm template ({{ … }} actions outside YAML strings, or Helm\'s .Values, .Release, include, toYaml): it is not analysed. Render it (helm template) and analyse the output.',
      }],
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
      else if (options.keepTree) {
        entry = loadDocument(file.path, chunk, (text, max) => parseYamlDocument(text, max), limits, options.onReparse);
        if (options.prepare) for (const o of entry.objects) options.prepare(o);
        if (entry.objects.length === 1 && !options.keepTree(entry.objects[0])) letGoOfTree(entry.objects[0]);
      } else {
        entry = loadDocument(file.path, chunk, (text, max) => cache.get(text, max), limits, options.onReparse);
        // Read now what the model will read, while the tree is young and in the cache.
        if (options.prepare) for (const o of entry.objects) options.prepare(o);
      }
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
    // A large List (a cluster dump) is read item by item (manifest/list-items.ts).
    for (const chunk of chunks) {
      for (const entry of batchEntries(file.path, chunk, cache, limits)) {
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
  }
  if (objects.length === 0 && sawMapping && notes.length === 0) {
    notes.push({ file: file.path, severity: 'info', message: 'Not a Kubernetes manifest (no apiVersion and kind): skipped' });
  }
  const looksKubernetes = objects.length > 0 || LOOKS_KUBERNETES.test(file.text);
  return { path: file.path, objects, notes, isKubernetes: objects.length > 0, looksKubernetes };
}

/**
 * Lets go of a loaded object's syntax tree unless its document holds other objects too (a
 * List: they share its tree, and any of them asking again would parse the whole List).
 */
export function letGoOfTree(obj: ManifestObject): void {
  if (obj instanceof LoadedObject && !obj.sharesDocument) obj.release();
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

/** How a loader parses a document: through the cache, or (a tree not to keep) past it. */
type Parse = (text: string, maxFullParseLength: number) => ParsedDocument;

function loadDocument(path: string, chunk: DocumentChunk, parse: Parse, limits: { readonly maxFullParseLength: number }, onReparse?: () => void): DocumentEntry {
  const anchor: DocAnchor = { file: path, base: chunk.start };
  const { maxFullParseLength } = limits;
  // One bad document costs only itself: whatever goes wrong in reading it (a bug of
  // ours) becomes one note on it, and the file's other documents load as usual.
  try {
    const parsed = parse(chunk.text, maxFullParseLength);
    if (parsed.limit) return { anchor, objects: [], note: limitNote(anchor, parsed.limit, chunk.text), mapping: false, maxFullParseLength };
    if (parsed.errors.length > 0) return { anchor, objects: [], note: yamlErrorNote(anchor, parsed), mapping: false, maxFullParseLength };
    if (!parsed.doc || !isMap(parsed.doc.contents)) return { anchor, objects: [], mapping: false, maxFullParseLength };
    const objects: ManifestObject[] = [];
    const root = parsed.doc.contents as YAMLMap;
    const reader = new NodeReader(anchor, parsed.doc);
    collectObjects(reader, root, objects, 0, new DocumentSyntax(chunk.text, anchor, root, reader, false, onReparse), ROOT);
    return { anchor, objects, mapping: true, maxFullParseLength };
  } catch (e) {
    return { anchor, objects: [], note: documentSkippedNote(anchor, chunk.text, e), mapping: false, maxFullParseLength };
  }
}

/**
 * The entries of a document in a batch load: one, or for a large List that splitListItems
 * cuts, one per item (each parsed on its own; a YAML error costs its item only).
 */
function* batchEntries(path: string, chunk: DocumentChunk, cache: ParseCache, limits: { readonly maxFullParseLength: number }): Generator<DocumentEntry> {
  const split = splitListItems(chunk);
  const envelope = split && listEnvelope(split.envelope);
  if (!split || !envelope) {
    yield loadDocument(path, chunk, (text, max) => cache.get(text, max), limits);
    return;
  }
  const { maxFullParseLength } = limits;
  for (const item of split.items) {
    const anchor: DocAnchor = { file: path, base: item.start };
    try {
      const parsed = cache.get(item.text, maxFullParseLength);
      if (parsed.limit) yield { anchor, objects: [], note: limitNote(anchor, parsed.limit, item.text), mapping: true, maxFullParseLength };
      else if (parsed.errors.length > 0) yield { anchor, objects: [], note: yamlErrorNote(anchor, parsed), mapping: true, maxFullParseLength };
      else if (parsed.doc) {
        const reader = new NodeReader(anchor, parsed.doc);
        const map = reader.map(reader.items(parsed.doc.contents)[0]);
        const objects: ManifestObject[] = [];
        if (map) collectObjects(reader, map, objects, 1, new DocumentSyntax(item.text, anchor, map, reader, true), ROOT, envelope.inherited);
        yield { anchor, objects, mapping: true, maxFullParseLength };
      }
    } catch (e) {
      yield { anchor, objects: [], note: documentSkippedNote(anchor, item.text, e), mapping: true, maxFullParseLength };
    }
  }
}

/** A List's kind and apiVersion, from its envelope: what items of a typed list (`PodList`) inherit. */
function listEnvelope(text: string): { inherited?: { kind: string; apiVersion: string } } | undefined {
  const parsed = parseYamlDocument(text);
  if (!parsed.doc || parsed.errors.length > 0 || !isMap(parsed.doc.contents)) return undefined;
  const reader = new NodeReader({ file: '', base: 0 }, parsed.doc);
  const root = parsed.doc.contents as YAMLMap;
  const kind = reader.string(reader.get(root, 'kind'));
  const apiVersion = reader.string(reader.get(root, 'apiVersion'));
  if (kind === undefined || apiVersion === undefined || !kind.endsWith('List')) return undefined;
  return kind === 'List' ? {} : { inherited: { kind: kind.slice(0, -'List'.length), apiVersion } };
}

/** The path of a document's own mapping (no List items to descend into). */
const ROOT: readonly number[] = Object.freeze([]);

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
  syntax.objects++;
  out.push(new LoadedObject(apiVersion, kind, span, map, syntax, path));
}
