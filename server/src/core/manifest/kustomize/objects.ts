/**
 * The objects of a resource file as kustomize reads them: every YAML document that is a
 * mapping, `*List` kinds with `items` expanded (recursively), empty documents skipped. Parsed
 * with the `yaml` package, as kubectl reads YAML (yaml/kubectl-dialect.ts), into plain values
 * (never the text itself: edits are a view).
 * Parses are kept by text in a KustomizeParseCache, so an unchanged file is not parsed again.
 */
import { isMap, isSeq, type Document, type Node } from 'yaml';
import { parseAllDocumentsAsKubectl } from '../../yaml/kubectl-dialect';
import { DOCUMENT_LIMITS, findDepthExcess } from '../../yaml/limits';
import { parseKustomization, type Kustomization } from './kustomization';
import type { BuildDeps } from './deps';
import type { KustomizedObject, KustomizeRoot, SourceObject } from './types';

/**
 * A plain value parsed from YAML. Objects come from the parser (with Object.prototype): read
 * their keys with Object.hasOwn only, write them with setKey.
 */
export type Plain = null | string | number | boolean | bigint | Plain[] | { [key: string]: Plain };
export type PlainMap = { [key: string]: Plain };

export interface ParsedObject {
  readonly source: SourceObject;
  readonly value: PlainMap;
}

export interface ParsedResourceFile {
  readonly objects: readonly ParsedObject[];
  /** Documents kustomize could not read (YAML errors, not a mapping, no kind): it would fail the build. */
  /** `too-large`: past a bound of the editor (not kustomize's refusal). */
  readonly problems: readonly { readonly start: number; readonly end: number; readonly message: string; readonly code?: 'too-large' }[];
}

/**
 * A file's YAML documents as the caller's own parser made them: `offset` is where the
 * document's text starts in the file (its nodes' ranges count from there). Lets the caller
 * share its parses (and its document cache) with the resolver.
 */
export type DocumentSource = (path: string, text: string) => readonly { readonly doc: Document | undefined; readonly offset: number; readonly error?: string }[];

/** A root's result, with what it read (reused while all of that is unchanged). */
export interface CachedRoot {
  readonly key: string;
  readonly deps: BuildDeps;
  readonly root: KustomizeRoot;
  readonly objects: readonly KustomizedObject[];
}

/**
 * What one resolution keeps for the next (only what it used): parsed resource files and
 * kustomizations by path and text, and each root's result with what it read.
 */
export class KustomizeParseCache {
  // By path, with the text it was parsed from (compared, not hashed: the same string object for
  // an unchanged file makes that instant).
  private current = new Map<string, { readonly text: string; readonly parsed: ParsedResourceFile }>();
  private next = new Map<string, { readonly text: string; readonly parsed: ParsedResourceFile }>();
  private kustomizations = new Map<string, { readonly text: string; readonly dir: string; readonly k: Kustomization }>();
  private nextKustomizations = new Map<string, { readonly text: string; readonly dir: string; readonly k: Kustomization }>();
  private roots = new Map<string, CachedRoot>();
  private nextRoots = new Map<string, CachedRoot>();

  /**
   * The file paths (and workspace folders) of the last resolution: while they are the same,
   * every reference resolves as it did (what a reference names depends on paths, not texts),
   * so a reused root need not resolve its references again.
   */
  shape: string | undefined;

  constructor(private readonly documents?: DocumentSource) {}

  kustomization(path: string, text: string, dir: string): Kustomization {
    const same = (e: { text: string; dir: string } | undefined): boolean => e !== undefined && e.text === text && e.dir === dir;
    const next = this.nextKustomizations.get(path);
    if (same(next)) return next!.k;
    const old = this.kustomizations.get(path);
    const k = same(old) ? old!.k : parseKustomization(path, text, dir);
    this.nextKustomizations.set(path, { text, dir, k });
    return k;
  }

  /** The cached result of root `dir` built under `key` (the options), if any. */
  root(dir: string, key: string): CachedRoot | undefined {
    const r = this.nextRoots.get(dir) ?? this.roots.get(dir);
    return r && r.key === key ? r : undefined;
  }

  keepRoot(dir: string, entry: CachedRoot): void {
    this.nextRoots.set(dir, entry);
  }

  /** The parse of `text` as file `path` (paths are part of the key: sources name their file). */
  get(path: string, text: string): ParsedResourceFile {
    const next = this.next.get(path);
    if (next && next.text === text) return next.parsed;
    const old = this.current.get(path);
    let parsed = old && old.text === text ? old.parsed : undefined;
    if (!parsed) parsed = this.documents ? parseResourceFile(path, text, this.documents) : this.parseByDocument(path, text);
    else {
      // Its documents stay cached with it (an edit of the file then parses only what changed).
      for (const chunkText of chunksOf.get(parsed) ?? []) {
        const chunk = this.nextChunks.get(chunkText) ?? this.chunks.get(chunkText);
        if (chunk) this.nextChunks.set(chunkText, chunk);
      }
    }
    this.next.set(path, { text, parsed });
    return parsed;
  }

  /** Keeps what a reused root read (its files' parses) for the next resolution. */
  retain(deps: BuildDeps, display: (normalized: string) => string, dirOf: (normalized: string) => string): void {
    for (const [path, text] of deps.texts) {
      if (deps.kustomizations.has(path)) this.kustomization(display(path), text, dirOf(path));
      else this.get(display(path), text);
    }
  }

  private chunks = new Map<string, ParsedChunk>();
  private nextChunks = new Map<string, ParsedChunk>();

  /** A changed file: only its changed documents are parsed again. */
  private parseByDocument(path: string, text: string): ParsedResourceFile {
    const objects: ParsedObject[] = [];
    const problems: { start: number; end: number; message: string; code?: 'too-large' }[] = [];
    let documentIndex = 0;
    const texts: string[] = [];
    for (const { start, text: chunkText } of splitYamlDocuments(text)) {
      texts.push(chunkText);
      let chunk = this.nextChunks.get(chunkText) ?? this.chunks.get(chunkText);
      if (!chunk) chunk = parseChunk(chunkText);
      this.nextChunks.set(chunkText, chunk);
      for (const o of chunk.objects) {
        objects.push({ source: { ...o.source, file: path, offset: start + o.source.offset, documentIndex: documentIndex + o.source.documentIndex }, value: o.value });
      }
      for (const p of chunk.problems) problems.push({ ...p, start: start + p.start, end: start + p.end });
      documentIndex += chunk.documents;
    }
    const parsed = { objects, problems };
    chunksOf.set(parsed, texts);
    return parsed;
  }

  /** Ends a resolution: what it did not use is let go. */
  sweep(): void {
    this.current = this.next;
    this.next = new Map();
    this.chunks = this.nextChunks;
    this.nextChunks = new Map();
    this.kustomizations = this.nextKustomizations;
    this.nextKustomizations = new Map();
    this.roots = this.nextRoots;
    this.nextRoots = new Map();
  }
}

/** The document texts a file was parsed from. */
const chunksOf = new WeakMap<ParsedResourceFile, readonly string[]>();

/** One document's text parsed on its own (offsets and document indices count from its start). */
interface ParsedChunk extends ParsedResourceFile {
  readonly documents: number;
}

function parseChunk(text: string): ParsedChunk {
  let documents = 0;
  const parsed = parseResourceFile('', text, (_path, t) => {
    const list = parseAllDocumentsAsKubectl(t, { merge: true, uniqueKeys: true }).map((doc) => ({ doc, offset: 0 }));
    documents = list.length;
    return list;
  });
  return { ...parsed, documents };
}

const DOCUMENT_MARKER = /^(?:---|\.\.\.)(?:[ \t]|\r?\n|\r|$)/;

/**
 * A YAML stream cut at its document markers without parsing: `---` or `...` at column 0
 * followed by a blank or the end of the line always ends a document in YAML 1.2 (no scalar can
 * hold one there), so each piece parses alone as it would in the whole stream.
 */
export function splitYamlDocuments(text: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let chunkStart = 0;
  let lineStart = 0;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl + 1;
    const c = text.charCodeAt(lineStart);
    if ((c === 45 || c === 46) && DOCUMENT_MARKER.test(text.slice(lineStart, lineStart + 5))) {
      if (c === 45 && lineStart > chunkStart) {
        out.push({ start: chunkStart, text: text.slice(chunkStart, lineStart) });
        chunkStart = lineStart;
      } else if (c === 46) {
        out.push({ start: chunkStart, text: text.slice(chunkStart, lineEnd) });
        chunkStart = lineEnd;
      }
    }
    if (nl === -1) break;
    lineStart = lineEnd;
  }
  if (chunkStart < text.length || out.length === 0) out.push({ start: chunkStart, text: text.slice(chunkStart) });
  return out;
}

/** Beyond this many aliases in a document, the document is refused (an alias bomb). */
const MAX_ALIAS_COUNT = 1000;

export function parseResourceFile(path: string, text: string, documents?: DocumentSource): ParsedResourceFile {
  const objects: ParsedObject[] = [];
  const problems: { start: number; end: number; message: string; code?: 'too-large' }[] = [];
  // The YAML parser recurses as deep as the text nests: past the loader's bound, not read.
  const deep = findDepthExcess(text, DOCUMENT_LIMITS.maxDepth);
  if (deep) {
    problems.push({ start: deep.offset, end: deep.offset, code: 'too-large', message: `nested deeper than ${DOCUMENT_LIMITS.maxDepth} levels: not read in the editor (docs/limits-and-safety.md)` });
    return { objects, problems };
  }
  let docs: readonly { readonly doc: Document | undefined; readonly offset: number; readonly error?: string }[];
  try {
    if (documents) docs = documents(path, text);
    else {
      docs = parseAllDocumentsAsKubectl(text, { merge: true, uniqueKeys: true }).map((doc) => ({ doc, offset: 0 }));
    }
  } catch (e) {
    problems.push({ start: 0, end: 0, message: `kustomize cannot read this file: ${(e as Error).message}` });
    return { objects, problems };
  }
  docs.forEach(({ doc, offset: base, error }, documentIndex) => {
    if (error !== undefined || !doc) {
      if (error !== undefined) problems.push({ start: base, end: base, message: `kustomize cannot read this document: ${error}` });
      return;
    }
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      problems.push({ start: base + err.pos[0], end: base + err.pos[1], message: `kustomize cannot read this document: ${err.message.split('\n')[0]}` });
      return;
    }
    const contents = doc.contents;
    if (contents === null || (!isMap(contents) && !isSeq(contents) && (contents as { value?: unknown }).value == null)) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      const r = contents.range ?? [0, 0];
      problems.push({ start: base + r[0], end: base + r[1], message: `kustomize cannot read this document: ${(e as Error).message}` });
      return;
    }
    collect(contents, value, documentIndex, [], base);
  });
  return { objects, problems };

  function collect(node: Node, value: unknown, documentIndex: number, itemPath: number[], base: number): void {
    const [start, end] = (node.range ?? [0, 0]).map((x) => base + x);
    if (!isPlainMap(value)) {
      problems.push({ start, end, message: 'a resource document must be a mapping (a Kubernetes object): kustomize refuses this file' });
      return;
    }
    const kind = typeof value.kind === 'string' ? value.kind : undefined;
    const items = Object.hasOwn(value, 'items') ? value.items : undefined;
    if (kind !== undefined && kind.endsWith('List') && Object.hasOwn(value, 'items')) {
      if (items === null) return;
      const itemNodes = isMap(node) ? node.get('items', true) : undefined;
      if (!Array.isArray(items) || !isSeq(itemNodes)) {
        problems.push({ start, end, message: `${kind}: items must be a list` });
        return;
      }
      items.forEach((item, i) => collect(itemNodes.items[i] as Node, item, documentIndex, [...itemPath, i], base));
      return;
    }
    if (kind === undefined || kind === '') {
      problems.push({ start, end, message: 'this object has no kind: kustomize refuses it' });
      return;
    }
    const meta = isPlainMap(value.metadata) ? value.metadata : undefined;
    const name = meta && typeof meta.name === 'string' ? meta.name : undefined;
    const namespace = meta && typeof meta.namespace === 'string' ? meta.namespace : undefined;
    if (name === undefined || name === '') {
      problems.push({ start, end, message: `this ${kind} has no metadata.name: kustomize refuses it` });
      return;
    }
    const apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
    objects.push({ source: { file: path, documentIndex, itemPath, offset: start, apiVersion, kind, name, namespace }, value });
  }
}

/** Sets own key `k` (a key named `__proto__` is an ordinary key, not the prototype). */
export function setKey(map: PlainMap, k: string, v: Plain): void {
  if (k === '__proto__') Object.defineProperty(map, k, { value: v, writable: true, enumerable: true, configurable: true });
  else map[k] = v;
}

export function isPlainMap(v: unknown): v is PlainMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A deep copy whose objects have no prototype (keys such as `__proto__` or `constructor` are ordinary). */
export function plain(v: unknown): Plain {
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Map) {
    const out = Object.create(null) as PlainMap;
    for (const [k, x] of v) setKey(out, String(k), plain(x));
    return out;
  }
  if (v instanceof Set) return [...v].map(plain);
  if (typeof v === 'object' && v !== null) {
    if (v instanceof Date) return v.toISOString();
    const out = Object.create(null) as PlainMap;
    for (const k of Object.keys(v)) setKey(out, k, plain((v as Record<string, unknown>)[k]));
    return out;
  }
  if (v === undefined) return null;
  return v as Plain;
}
