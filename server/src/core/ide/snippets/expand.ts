/**
 * Expands a snippet (VS Code / LSP snippet syntax) to the plain text an editor shows
 * before the user changes anything: every placeholder its default, a choice its first
 * option, a bare tab stop nothing. For clients without snippet support, and for tests.
 *
 * The grammar (https://code.visualstudio.com/docs/editor/userdefinedsnippets#_grammar):
 *   tabstop     $1  ${1}  ${1/regex/format/options}
 *   placeholder ${1:any}            (nested placeholders, variables, escapes inside)
 *   choice      ${1|one,two|}       (\, \| \\ escaped inside)
 *   variable    $NAME  ${NAME}  ${NAME:any}  ${NAME/regex/format/options}
 *   text        \$ \} \\ are escapes; any other backslash is itself
 * Constructs that do not parse are text, as in VS Code (`${` without its `}`, `$ 5`).
 *
 * Mirrors: every tab stop of an index shows the value of the first placeholder (or
 * choice) of that index that has one, wherever it is, as VS Code does; an index without
 * any default expands to ''.
 */
import { own } from '../../base/own';

type SnippetNode =
  | { readonly type: 'text'; readonly value: string }
  | { readonly type: 'tabstop'; readonly index: number; readonly children?: readonly SnippetNode[]; readonly choices?: readonly string[]; readonly transform?: Transform }
  | { readonly type: 'variable'; readonly name: string; readonly children?: readonly SnippetNode[]; readonly transform?: Transform };

interface Transform {
  readonly regex: RegExp | undefined;
  readonly format: readonly FormatItem[];
}

type FormatItem =
  | { readonly type: 'text'; readonly value: string }
  | { readonly type: 'group'; readonly group: number; readonly modifier?: string; readonly ifValue?: string; readonly elseValue?: string };

export interface ExpandOptions {
  /**
   * Values of snippet variables (TM_FILENAME, …). A variable without a value expands to
   * its default, or, without one, to its name (VS Code's unknown-variable behaviour).
   */
  readonly variables?: Readonly<Record<string, string>>;
}

/** The text of a snippet body (one string, or lines joined with `\n`) with every default filled in. */
export function expandSnippet(body: string | readonly string[], options: ExpandOptions = {}): string {
  const text = typeof body === 'string' ? body : body.join('\n');
  const nodes = new Parser(text).parse();
  const defaults = new Map<number, readonly SnippetNode[] | string>();
  collectDefaults(nodes, defaults);
  const variables = options.variables ?? {};
  const resolving = new Set<number>();

  const render = (list: readonly SnippetNode[]): string => list.map(one).join('');
  const valueOf = (index: number): string => {
    const d = defaults.get(index);
    if (d === undefined || resolving.has(index)) return '';
    if (typeof d === 'string') return d;
    resolving.add(index);
    try {
      return render(d);
    } finally {
      resolving.delete(index);
    }
  };
  function one(n: SnippetNode): string {
    switch (n.type) {
      case 'text':
        return n.value;
      case 'tabstop': {
        const value = valueOf(n.index);
        return n.transform ? applyTransform(value, n.transform) : value;
      }
      case 'variable': {
        const given = own(variables, n.name);
        const value = given !== undefined && given !== '' ? given : n.children ? render(n.children) : given === '' ? '' : n.name;
        return n.transform ? applyTransform(value, n.transform) : value;
      }
    }
  }
  return render(nodes);
}

/** The first placeholder or choice of each index, in document order (outer before inner). */
function collectDefaults(nodes: readonly SnippetNode[], out: Map<number, readonly SnippetNode[] | string>): void {
  for (const n of nodes) {
    if (n.type === 'tabstop') {
      if (!out.has(n.index)) {
        if (n.choices) out.set(n.index, n.choices[0] ?? '');
        else if (n.children) out.set(n.index, n.children);
      }
      if (n.children) collectDefaults(n.children, out);
    } else if (n.type === 'variable' && n.children) {
      collectDefaults(n.children, out);
    }
  }
}

class Parser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parse(): SnippetNode[] {
    return this.sequence(false);
  }

  /** Nodes until the end, or (inside a placeholder) until an unescaped `}`, which is left unread. */
  private sequence(nested: boolean): SnippetNode[] {
    const out: SnippetNode[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') out.push({ type: 'text', value: text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\') {
        const next = this.src[this.pos + 1];
        if (next === '$' || next === '}' || next === '\\') {
          text += next;
          this.pos += 2;
        } else {
          text += c;
          this.pos++;
        }
        continue;
      }
      if (nested && c === '}') break;
      if (c === '$') {
        const start = this.pos;
        const node = this.dollar();
        if (node) {
          flush();
          out.push(node);
          continue;
        }
        // Not a construct: the `$` is text, and parsing resumes right after it.
        this.pos = start + 1;
        text += '$';
        continue;
      }
      text += c;
      this.pos++;
    }
    flush();
    return out;
  }

  /** A construct starting at `$`, or undefined (position then unspecified: the caller resets it). */
  private dollar(): SnippetNode | undefined {
    this.pos++;
    const int = this.match(/[0-9]+/y);
    if (int !== undefined) return { type: 'tabstop', index: Number(int) };
    const name = this.match(/[_a-zA-Z][_a-zA-Z0-9]*/y);
    if (name !== undefined) return { type: 'variable', name };
    if (this.src[this.pos] !== '{') return undefined;
    this.pos++;
    // `${1…}` and `${name…}` end the same way: `}`, `:default}`, `/transform/`; only a
    // tabstop takes `|choices|`.
    const index = this.match(/[0-9]+/y);
    if (index !== undefined) return this.braced({ type: 'tabstop', index: Number(index) }, true);
    const variable = this.match(/[_a-zA-Z][_a-zA-Z0-9]*/y);
    return variable === undefined ? undefined : this.braced({ type: 'variable', name: variable }, false);
  }

  /** The rest of `${…}` after its index or name. */
  private braced<T extends SnippetNode>(head: T, choicesAllowed: boolean): T | undefined {
    const c = this.src[this.pos];
    if (c === '}') {
      this.pos++;
      return head;
    }
    if (c === ':') {
      this.pos++;
      const children = this.sequence(true);
      if (this.src[this.pos] !== '}') return undefined;
      this.pos++;
      return { ...head, children };
    }
    if (c === '|' && choicesAllowed) {
      this.pos++;
      const choices = this.choices();
      return choices && { ...head, choices };
    }
    if (c === '/') {
      const transform = this.transform();
      return transform && { ...head, transform };
    }
    return undefined;
  }

  /** `one,two|}` after `${1|`: the options, with `\,` `\|` `\\` escapes. */
  private choices(): string[] | undefined {
    const options: string[] = [];
    let current = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      const next = this.src[this.pos + 1];
      if (c === '\\' && (next === ',' || next === '|' || next === '\\')) {
        current += next;
        this.pos += 2;
      } else if (c === ',') {
        options.push(current);
        current = '';
        this.pos++;
      } else if (c === '|' && next === '}') {
        options.push(current);
        this.pos += 2;
        return options;
      } else {
        current += c;
        this.pos++;
      }
    }
    return undefined;
  }

  /** `/regex/format/options}` (at the first `/`): a transform, or undefined. */
  private transform(): Transform | undefined {
    this.pos++;
    const pattern = this.until('/');
    if (pattern === undefined) return undefined;
    const format = this.formatItems();
    if (format === undefined) return undefined;
    const flags = this.match(/[a-z]*/y) ?? '';
    if (this.src[this.pos] !== '}') return undefined;
    this.pos++;
    let regex: RegExp | undefined;
    try {
      regex = new RegExp(pattern, flags);
    } catch {
      regex = undefined;
    }
    return { regex, format };
  }

  /** Raw text up to an unescaped `stop` (consumed); `\stop` is `stop`, other escapes stay for the regex. */
  private until(stop: string): string | undefined {
    let out = '';
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\' && this.src[this.pos + 1] === stop) {
        out += stop;
        this.pos += 2;
      } else if (c === stop) {
        this.pos++;
        return out;
      } else {
        out += c;
        this.pos++;
      }
    }
    return undefined;
  }

  /** The format of a transform, up to its closing `/` (consumed). */
  private formatItems(): FormatItem[] | undefined {
    const out: FormatItem[] = [];
    let text = '';
    const flush = () => {
      if (text !== '') out.push({ type: 'text', value: text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const c = this.src[this.pos];
      if (c === '\\' && this.pos + 1 < this.src.length) {
        text += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (c === '/') {
        this.pos++;
        flush();
        return out;
      }
      if (c === '$') {
        const start = this.pos;
        const item = this.formatGroup();
        if (item) {
          flush();
          out.push(item);
          continue;
        }
        this.pos = start;
      }
      text += c;
      this.pos++;
    }
    return undefined;
  }

  /** `$1`, `${1}`, `${1:/upcase}`, `${1:+if}`, `${1:?if:else}`, `${1:-else}`, `${1:else}`. */
  private formatGroup(): FormatItem | undefined {
    this.pos++;
    const bare = this.match(/[0-9]+/y);
    if (bare !== undefined) return { type: 'group', group: Number(bare) };
    if (this.src[this.pos] !== '{') return undefined;
    this.pos++;
    const digits = this.match(/[0-9]+/y);
    if (digits === undefined) return undefined;
    const group = Number(digits);
    if (this.src[this.pos] === '}') {
      this.pos++;
      return { type: 'group', group };
    }
    if (this.src[this.pos] !== ':') return undefined;
    this.pos++;
    const c = this.src[this.pos];
    if (c === '/') {
      this.pos++;
      const modifier = this.match(/[a-z]+/y);
      if (modifier === undefined || this.src[this.pos] !== '}') return undefined;
      this.pos++;
      return { type: 'group', group, modifier };
    }
    if (c === '+') {
      this.pos++;
      const ifValue = this.until('}');
      return ifValue === undefined ? undefined : { type: 'group', group, ifValue };
    }
    if (c === '?') {
      this.pos++;
      const ifValue = this.until(':');
      const elseValue = ifValue === undefined ? undefined : this.until('}');
      return elseValue === undefined ? undefined : { type: 'group', group, ifValue, elseValue };
    }
    if (c === '-') this.pos++;
    const elseValue = this.until('}');
    return elseValue === undefined ? undefined : { type: 'group', group, elseValue };
  }

  /** Consumes and returns a sticky regular expression's match at the position. */
  private match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.src);
    if (!m || m[0] === '') return undefined;
    this.pos += m[0].length;
    return m[0];
  }
}

function applyTransform(value: string, t: Transform): string {
  if (!t.regex) return value;
  return value.replace(t.regex, (...args: unknown[]) => {
    // replace() passes the match, the groups, then offset and input (and named groups).
    const groups = args.slice(0, args.findIndex((a) => typeof a === 'number')) as (string | undefined)[];
    return t.format.map((item) => (item.type === 'text' ? item.value : formatGroup(groups[item.group], item))).join('');
  });
}

function formatGroup(value: string | undefined, item: Extract<FormatItem, { type: 'group' }>): string {
  const v = value ?? '';
  if (item.modifier !== undefined) {
    switch (item.modifier) {
      case 'upcase':
        return v.toUpperCase();
      case 'downcase':
        return v.toLowerCase();
      case 'capitalize':
        return v.charAt(0).toUpperCase() + v.slice(1);
      case 'camelcase':
      case 'pascalcase': {
        const words = v.match(/[a-z0-9]+/gi) ?? [];
        const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('');
        return item.modifier === 'camelcase' ? joined.charAt(0).toLowerCase() + joined.slice(1) : joined;
      }
      default:
        return v;
    }
  }
  if (item.ifValue !== undefined) return v !== '' ? item.ifValue : item.elseValue ?? '';
  if (item.elseValue !== undefined) return v !== '' ? v : item.elseValue;
  return v;
}
