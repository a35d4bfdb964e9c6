import { Document, isMap, isPair, isScalar, isSeq, type ParsedNode } from 'yaml';
import { aliasTable, type AliasProblem } from './aliases';
import { fastParseDocument } from './fast-yaml';
import { parseAllDocumentsAsKubectl } from './kubectl-dialect';
import { DOCUMENT_LIMITS, findDepthExcess } from './limits';

/**
 * One parsed YAML document, with offsets relative to its own text. Cached by text:
 * the same document text (wherever it moves in its file) is parsed once.
 */
export interface ParsedDocument {
  readonly text: string;
  readonly doc: Document.Parsed<ParsedNode> | undefined;
  readonly errors: readonly YamlProblem[];
  readonly warnings: readonly YamlProblem[];
  /** Set when a bound (source/limits.ts) keeps the document from being read: it has no tree then. */
  readonly limit?: LimitHit;
}

/** Which bound a document went past, and where (offsets relative to the document text). */
export type LimitHit = { readonly start: number; readonly end: number } & (
  | { readonly code: 'nesting-too-deep'; readonly maxDepth: number }
  | { readonly code: 'excessive-aliasing'; readonly aliases: AliasProblem }
  /** With the full-parser bound it was judged with. */
  | { readonly code: 'document-too-large'; readonly length: number; readonly maxFullParseLength: number }
);

export interface YamlProblem {
  readonly message: string;
  /** Offsets relative to the document text. */
  readonly start: number;
  readonly end: number;
  readonly code: string;
}

/** Limits that keep hostile input (alias bombs, huge files) from hanging the engine. */
export const PARSE_LIMITS = {
  /** yaml's own guard against billion-laughs: max resolved alias nodes per document. */
  maxAliasCount: 100,
};

export const PARSE_OPTIONS = {
  /**
   * Try fast-yaml.ts first (about 10x faster than `yaml` and a third of its memory on
   * Kubernetes manifests); it hands anything outside its subset, including every
   * invalid document, to `yaml`. Off: always `yaml` (for comparisons).
   */
  fastPath: true,
};

const NO_PROBLEMS: readonly YamlProblem[] = Object.freeze([]);
const LONE_CR = /\r(?!\n)/g;

/**
 * Parses one document chunk: the fast parser when it accepts the text, else `yaml`;
 * nothing past a bound (too deep, too large for `yaml`, excessive aliasing).
 */
export function parseYamlDocument(text: string, maxFullParseLength = DOCUMENT_LIMITS.maxFullParseLength): ParsedDocument {
  return tooDeep(text) ?? parseFast(text) ?? parseWithYaml(text, maxFullParseLength);
}

/** The nesting bound, checked on the text before any parser recurses that deep. */
function tooDeep(text: string): ParsedDocument | undefined {
  const excess = findDepthExcess(text, DOCUMENT_LIMITS.maxDepth);
  if (!excess) return undefined;
  const end = Math.min(text.length, excess.offset + 1);
  return { text, doc: undefined, errors: NO_PROBLEMS, warnings: NO_PROBLEMS, limit: { code: 'nesting-too-deep', maxDepth: DOCUMENT_LIMITS.maxDepth, start: excess.offset, end } };
}

/**
 * The fast path, or undefined to fall back. Its nodes read like `yaml`'s (same type
 * guards, items, ranges, values), so the light document stands in for a
 * Document.Parsed; it never has errors or warnings.
 */
function parseFast(text: string): ParsedDocument | undefined {
  if (!PARSE_OPTIONS.fastPath) return undefined;
  try {
    const fast = fastParseDocument(text);
    if (!fast) return undefined;
    const doc = fast.doc as unknown as Document.Parsed<ParsedNode> | undefined;
    return { text, doc, errors: NO_PROBLEMS, warnings: NO_PROBLEMS };
  } catch {
    return undefined; // a bug in the fast parser must not cost the document: `yaml` decides
  }
}

/**
 * The `yaml` package: any YAML, with its errors and warnings (and the bounds on what
 * it is given: its size, and what its aliases expand to), read as kubectl reads it
 * (kubectl-dialect.ts).
 */
export function parseWithYaml(text: string, maxFullParseLength = DOCUMENT_LIMITS.maxFullParseLength): ParsedDocument {
  if (text.length > maxFullParseLength) {
    // On the document's first line of content.
    const start = Math.max(0, text.search(/\S/));
    const end = start + text.slice(start).search(/\r?\n|$/);
    return {
      text,
      doc: undefined,
      errors: NO_PROBLEMS,
      warnings: NO_PROBLEMS,
      limit: { code: 'document-too-large', length: text.length, start, end, maxFullParseLength },
    };
  }
  // yaml makes an Error per problem: without stack traces, a line of a million stray
  // commas costs 2 s instead of 6.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    // Keys are checked for uniqueness below: yaml's own check compares each key with
    // every earlier one (a flow mapping of 125,000 keys took 155 s).
    // A lone CR is a line break in YAML, as LF is; yaml's error recovery recursed once per
    // token after one (a stack overflow on a 32 KB flow line), so it gets an LF instead
    // (same length: every offset stays).
    const source = text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
    // As kubectl reads YAML (kubectl-dialect.ts): quoted scalars whose continuation lines
    // are indented less than YAML 1.2 asks are read, as `kubectl apply` reads them.
    const docs = parseAllDocumentsAsKubectl(source, { uniqueKeys: false, strict: true });
    const doc = docs.find((d) => d.contents !== null) ?? docs[0];
    let errors: YamlProblem[] = [];
    const warnings: YamlProblem[] = [];
    for (const d of docs) {
      for (const e of d.errors) errors.push(toProblem(e.message, e.pos, e.code));
      for (const w of d.warnings) warnings.push(toProblem(w.message, w.pos, w.code));
      const duplicates = duplicateKeys(d.contents);
      if (duplicates.length > 0) errors = [...errors, ...duplicates].sort((a, b) => a.start - b.start);
    }
    if (errors.length === 0 && doc && text.includes('*')) {
      const { problem, unresolved } = aliasTable(doc);
      // yaml leaves an alias without its anchor unresolved; Kubernetes' decoder refuses it.
      for (const a of unresolved) {
        const at = a.range ?? [0, 0];
        errors.push({ message: `Unknown anchor "${a.source}": an alias refers to an anchor (&${a.source}) earlier in the same document`, start: at[0], end: at[1], code: 'BAD_ALIAS' });
      }
      if (errors.length > 0) return { text, doc, errors, warnings };
      if (problem) return { text, doc: undefined, errors, warnings, limit: { code: 'excessive-aliasing', aliases: problem, start: problem.range[0], end: problem.range[1] } };
    }
    return { text, doc, errors, warnings };
  } catch (e) {
    // The parser should not throw, but a bug there must not take the server down.
    return { text, doc: undefined, errors: [{ message: String(e), start: 0, end: 0, code: 'PARSE_CRASH' }], warnings: [] };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/**
 * Keys repeated in a mapping, as `yaml` reports them with `uniqueKeys: true` (scalar
 * keys with the same value; the error at the later key), in linear time.
 */
function duplicateKeys(root: unknown): YamlProblem[] {
  const out: YamlProblem[] = [];
  const visit = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key;
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value)) {
            const at = key.range?.[0] ?? 0;
            out.push({ message: 'Map keys must be unique', start: at, end: at + 1, code: 'DUPLICATE_KEY' });
          } else seen.add(key.value);
        } else visit(key);
        visit(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item);
    }
  };
  visit(root);
  return out;
}

function toProblem(message: string, pos: [number, number], code: string): YamlProblem {
  // Keep only the first line: yaml appends a source excerpt with a caret.
  return { message: message.split('\n')[0], start: pos[0], end: pos[1], code };
}

/** Converts a document to plain JS safely: alias expansion is capped. */
export function toPlain(doc: Document.Parsed<ParsedNode>): unknown {
  return doc.toJS({ maxAliasCount: PARSE_LIMITS.maxAliasCount });
}


/**
 * A bounded cache of parsed documents keyed by their text. Map iteration order is
 * insertion order, so re-inserting on hit gives LRU eviction.
 *
 * `ParseCache.batch()` makes one for a one-shot run (the CLI, `analyze` without a
 * cache): it keeps nothing, and a loader using it keeps no syntax trees either (see
 * manifest/load.ts): each document is parsed, read into the model, and let go.
 */
export class ParseCache {
  private readonly map = new Map<string, ParsedDocument>();
  hits = 0;
  misses = 0;
  /** Of the misses: documents the fast parser took, and those it left to `yaml`. */
  fastParses = 0;
  fallbackParses = 0;

  constructor(
    private readonly capacity = 50_000,
    /**
     * False for a batch cache: no document is kept, nor is any file's list of documents
     * (so loading the same text again parses it again), and loaded objects drop their
     * syntax trees as soon as the model has read them (parsed again if asked for later).
     */
    readonly keepsTrees = true,
  ) {}

  /** A cache for one pass over a workspace, keeping nothing (see keepsTrees). */
  static batch(): ParseCache {
    return new ParseCache(0, false);
  }

  get(text: string, maxFullParseLength = DOCUMENT_LIMITS.maxFullParseLength): ParsedDocument {
    // Nothing to find and nothing to keep: no lookup (which would hash the whole text).
    if (this.capacity <= 0) return this.parse(text, maxFullParseLength);
    const found = this.map.get(text);
    // A document skipped for its size under another bound is judged again.
    if (found && !(found.limit?.code === 'document-too-large' && found.limit.maxFullParseLength !== maxFullParseLength)) {
      this.hits++;
      this.map.delete(text);
      this.map.set(text, found);
      return found;
    }
    const parsed = this.parse(text, maxFullParseLength);
    this.map.delete(text);
    this.map.set(text, parsed);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
    return parsed;
  }

  private parse(text: string, maxFullParseLength: number): ParsedDocument {
    this.misses++;
    const deep = tooDeep(text);
    if (deep) return deep;
    const parsed = parseFast(text);
    if (parsed) {
      this.fastParses++;
      return parsed;
    }
    this.fallbackParses++;
    return parseWithYaml(text, maxFullParseLength);
  }

  get size(): number {
    return this.map.size;
  }

  /** Drops a document's parse (its file is no longer open: the editor's host lets go of its trees). */
  forget(text: string): void {
    this.map.delete(text);
  }
}
