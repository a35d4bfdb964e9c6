/** Reading the views' trees in tests: as HTML text to match against, and element by element. */
import type { ViewElement, ViewNode } from '../../client/src/webview/view-node';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ESCAPES[c]);

/** The tree as the page's DOM would serialise it (what render.js builds, attribute for attribute). */
export function toHtml(nodes: ViewNode | readonly ViewNode[]): string {
  const list: readonly ViewNode[] = typeof nodes === 'string' || !Array.isArray(nodes) ? [nodes as ViewNode] : nodes;
  return list
    .map((n) => {
      if (typeof n === 'string') return escape(n);
      const attrs = Object.entries(n.attrs ?? {})
        .filter(([, v]) => v !== false && v !== undefined)
        .map(([k, v]) => (v === true ? ` ${k}` : ` ${k}="${escape(String(v))}"`))
        .join('');
      return `<${n.tag}${attrs}>${toHtml(n.children ?? [])}</${n.tag}>`;
    })
    .join('');
}

/** Every element of the tree, depth first. */
export function elementsOf(nodes: ViewNode | readonly ViewNode[]): ViewElement[] {
  const list: readonly ViewNode[] = typeof nodes === 'string' || !Array.isArray(nodes) ? [nodes as ViewNode] : nodes;
  return list.flatMap((n) => (typeof n === 'string' ? [] : [n, ...elementsOf(n.children ?? [])]));
}

/** Every text node of the tree, in order. */
export function textsOf(nodes: ViewNode | readonly ViewNode[]): string[] {
  const list: readonly ViewNode[] = typeof nodes === 'string' || !Array.isArray(nodes) ? [nodes as ViewNode] : nodes;
  return list.flatMap((n) => (typeof n === 'string' ? [n] : textsOf(n.children ?? [])));
}
