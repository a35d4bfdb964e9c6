import { Composer, Lexer, Parser, type Document, type DocumentOptions, type ParseOptions, type ParsedNode, type SchemaOptions } from 'yaml';

/**
 * YAML as kubectl reads it. kubectl (sigs.k8s.io/yaml) and kustomize (kyaml) read YAML
 * with go-yaml, a port of libyaml, which is laxer than YAML 1.2 in one way real
 * manifests rely on: the continuation lines of a multi-line quoted scalar may be indented
 * less than YAML 1.2 requires (at the key's own indentation, or at any column). go-yaml's
 * scanner takes everything up to the closing quote, stopping only at a `---` or `...`
 * document marker at column 0, and folds the lines as YAML 1.2 does (leading blanks
 * dropped, a single line break read as a space). Generated CustomResourceDefinitions
 * (Kyverno's, among others) are written that way, and `kubectl apply` reads them.
 *
 * The `yaml` package has no option for it (`strict: false` does not reach its lexer,
 * which ends the scalar at the first under-indented line and reports "Missing closing
 * quote"), so its lexer is given go-yaml's rule for exactly that case, through the
 * lexer hook its Parser documents (`parser.next(lexeme)` for each lexeme): a quoted
 * scalar in block context whose closing quote exists and is followed only by blanks, a
 * comment or the line end (as a block value's must be) is scanned without the
 * indentation check. Everything else is `yaml`'s own: a quoted scalar that never closes,
 * or whose closing quote is followed by more text (a stray apostrophe further down),
 * still ends at its first under-indented line with `yaml`'s error there; keys (which
 * may not span lines anyway) and flow collections are unchanged. The value is `yaml`'s
 * folding of the lines, which is go-yaml's.
 */

/** The state of `yaml`'s lexer that the override reads (private in its types). */
interface LexerState {
  buffer: string;
  pos: number;
  flowLevel: number;
  indentNext: number;
}

type QuotedScalarScan = (this: LexerState) => Generator<string, unknown>;

const strictQuotedScalar = (Lexer.prototype as unknown as { parseQuotedScalar?: QuotedScalarScan }).parseQuotedScalar;

/**
 * Where the quoted scalar opening at `start` closes (the index of its closing quote), as
 * `yaml`'s lexer and go-yaml's scanner find it, or -1.
 */
function closingQuote(s: string, start: number): number {
  const q = s[start];
  let end = s.indexOf(q, start + 1);
  if (q === "'") {
    while (end !== -1 && s[end + 1] === "'") end = s.indexOf("'", end + 2);
  } else {
    while (end !== -1) {
      let backslashes = 0;
      while (s[end - 1 - backslashes] === '\\') backslashes++;
      if (backslashes % 2 === 0) break;
      end = s.indexOf('"', end + 1);
    }
  }
  return end;
}

/** A `---` or `...` document marker at column 0 (then a blank or the end): go-yaml stops there. */
const DOCUMENT_MARKER_LINE = /\n(?:---|\.\.\.)(?:[ \t\r\n]|$)/;

/**
 * Whether the quoted scalar opening at `start` is one go-yaml reads whole and `yaml`
 * would cut: it spans lines, it closes before any document marker, and nothing but
 * blanks and a comment follows its closing quote on that line.
 */
function readsAsKubectl(s: string, start: number): boolean {
  const end = closingQuote(s, start);
  if (end === -1) return false;
  const firstBreak = s.indexOf('\n', start);
  if (firstBreak === -1 || firstBreak > end) return false; // one line: nothing to relax
  let i = end + 1;
  while (s[i] === ' ' || s[i] === '\t') i++;
  const next = s[i];
  const endsLine = next === undefined || next === '\n' || next === '\r' || (next === '#' && i > end + 1);
  return endsLine && !DOCUMENT_MARKER_LINE.test(s.slice(start, end));
}

/** `yaml`'s lexer, reading quoted scalars' continuation lines as go-yaml does (see above). */
class KubectlLexer extends Lexer {}

if (typeof strictQuotedScalar === 'function') {
  const scanQuotedScalar: QuotedScalarScan = function* (this: LexerState) {
    if (this.flowLevel !== 0 || this.indentNext <= 0 || !readsAsKubectl(this.buffer, this.pos)) return yield* strictQuotedScalar.call(this);
    // With no indentation to keep, `yaml`'s lexer checks a continuation line for a
    // document marker at column 0 only: go-yaml's rule. The indentation is restored for
    // what follows the scalar.
    const indentNext = this.indentNext;
    this.indentNext = 0;
    try {
      return yield* strictQuotedScalar.call(this);
    } finally {
      this.indentNext = indentNext;
    }
  };
  Object.defineProperty(KubectlLexer.prototype, 'parseQuotedScalar', { value: scanQuotedScalar, configurable: true, writable: true });
}

/** `parseAllDocuments`' options, less the error excerpts (`prettyErrors`, `lineCounter`): never made. */
export type KubectlParseOptions = Omit<ParseOptions, 'lineCounter' | 'prettyErrors'> & DocumentOptions & SchemaOptions;

/**
 * `parseAllDocuments` of `yaml`, reading YAML as kubectl does (see above): same
 * documents, errors, warnings and ranges, except that quoted scalars with under-indented
 * continuation lines that go-yaml reads are read, with go-yaml's value.
 */
export function parseAllDocumentsAsKubectl(source: string, options: KubectlParseOptions = {}): Document.Parsed<ParsedNode>[] {
  const lexer = new KubectlLexer();
  const parser = new Parser();
  const composer = new Composer(options);
  function* tokens() {
    for (const lexeme of lexer.lex(source)) yield* parser.next(lexeme);
    yield* parser.end();
  }
  return Array.from(composer.compose(tokens())) as Document.Parsed<ParsedNode>[];
}
