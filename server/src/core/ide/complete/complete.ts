/**
 * Completion inside NetworkPolicy YAML, from the workspace: field names at every level
 * (with their documentation), label keys and values of the pods or namespaces a
 * selector is about, namespace names, named ports of the pods a rule's ports apply to,
 * the enumerations (protocols, policy types, operators), and the snippets where a new
 * document may start. Pure: text, offset and model in, items with offset ranges out.
 */
import type { Model } from '../../model/types';
import { DEFAULT_NAMESPACE } from '../../k8s/cluster';
import { expandSnippet } from '../snippets/expand';
import { snippetInsertStart } from '../snippets/offer';
import { NETPOL_SNIPPETS, snippetText } from '../snippets/snippets';
import { splitDocuments } from '../../yaml/split';
import { buildOutline } from '../../yaml/outline';
import { Context, sortKey } from './context';
import type { CompletionItem } from './item';

export interface CompleteOptions {
  /**
   * The character whose typing asked for completion, if any. Typed spaces, dashes and
   * colons ask for completion everywhere; only right after `key: `, `key:`, `- ` and
   * `-` does that make sense, elsewhere the answer is empty.
   */
  readonly triggerCharacter?: string;
}

const EMPTY_MODEL: Model = { defaultNamespace: DEFAULT_NAMESPACE, namespaces: new Map(), workloads: [], services: [], ingresses: [], policies: [], clusterPolicies: [], notes: [], customResources: new Map(), operatorGroups: new Map(), foreignPolicies: [], disruptionBudgets: [], apiServerTargets: [], undeclaredServices: new Map(), namespacelessBundles: new Set() };

/** The completion items at `offset` (UTF-16 units) of a file's `text`, from the workspace `model`. */
export function complete(text: string, offset: number, model: Model | undefined, options: CompleteOptions = {}): CompletionItem[] {
  if (!Number.isInteger(offset) || offset < 0 || offset > text.length) return [];
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  if (options.triggerCharacter !== undefined && !triggerMakesSense(before, options.triggerCharacter)) return [];

  const snippetStart = snippetInsertStart(text, offset);
  if (snippetStart !== undefined) return snippetItems(snippetStart, offset);

  const chunk = splitDocuments(text).find((c) => c.start <= offset && (offset < c.end || c.end === text.length));
  if (!chunk) return [];
  const outline = buildOutline(chunk.text, offset - chunk.start);
  const site = outline.cursor;
  if (!site || outline.root?.kind !== 'map') return [];
  const ctx = new Context(outline.root, site, outline.indentUnit, model ?? EMPTY_MODEL, chunk.start, chunk.text);
  return ctx.items();
}

function triggerMakesSense(before: string, ch: string): boolean {
  // `key: ` (block or flow), `- ` (one or more dashes).
  if (ch === ' ') return /\S: $/.test(before) || /^\s*(?:- +)*- $/.test(before);
  // `key:` (the space is then inserted with the value).
  if (ch === ':') return /^\s*(?:- +)*[^\s#](?:[^#]*\S)?:$/.test(before);
  // `-` opening an item (the space is inserted with the item).
  if (ch === '-') return /^\s*(?:- +)*-$/.test(before);
  return true;
}

function snippetItems(start: number, end: number): CompletionItem[] {
  return NETPOL_SNIPPETS.map((s, i) => ({
    label: s.prefix,
    kind: 'snippet' as const,
    detail: s.name,
    documentation: `${s.description}\n\n\`\`\`yaml\n${expandSnippet(s.body)}\n\`\`\``,
    insertText: snippetText(s),
    format: 'snippet' as const,
    start,
    end,
    sortText: sortKey(0, i),
    multiline: true,
  }));
}
