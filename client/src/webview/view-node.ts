/**
 * What the extension sends a webview to show: a tree of elements and text, built here
 * with {@link h} and made into DOM nodes in the page by client/media/common/render.js.
 * Names from the workspace's files are text nodes (never markup), and an element or an
 * attribute that is not listed below is dropped there, so no value of a file can add a
 * script, a handler, a style or a link out of the page. Imports nothing: the webview's
 * script imports the lists below.
 */

export const HTML_TAGS = [
  'a', 'button', 'code', 'div', 'h1', 'h2', 'header', 'input', 'label', 'li', 'main', 'ol', 'p', 'section', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul',
] as const;

/** Inside an `svg` element, everything is SVG. */
export const SVG_TAGS = ['svg', 'defs', 'g', 'marker', 'path', 'rect', 'text', 'title'] as const;

export const ATTRIBUTES = [
  // HTML
  'autocomplete', 'class', 'colspan', 'for', 'id', 'placeholder', 'role', 'rowspan', 'scope', 'spellcheck', 'tabindex', 'title', 'type', 'value',
  // `#` only: the page's own links post a message instead of navigating.
  'href',
  // Accessibility
  'aria-hidden', 'aria-invalid', 'aria-label', 'aria-live', 'aria-pressed',
  // What the page's script reads back
  'data-action', 'data-explain-from', 'data-explain-to', 'data-export', 'data-filter', 'data-fit', 'data-line', 'data-open', 'data-refresh', 'data-uri', 'data-view',
  // SVG geometry and markers
  'd', 'height', 'marker-end', 'markerHeight', 'markerWidth', 'orient', 'refX', 'refY', 'rx', 'text-anchor', 'viewBox', 'width', 'x', 'y',
] as const;

export type ViewTag = (typeof HTML_TAGS)[number] | (typeof SVG_TAGS)[number];
export type ViewAttribute = (typeof ATTRIBUTES)[number];
/** `true` writes the attribute without a value, `false` and undefined leave it out. */
export type ViewAttributes = Readonly<Partial<Record<ViewAttribute, string | number | boolean | undefined>>>;

export interface ViewElement {
  readonly tag: ViewTag;
  readonly attrs?: ViewAttributes;
  readonly children?: readonly ViewNode[];
}

/** A string is a text node. */
export type ViewNode = string | ViewElement;

/** An element; children that are false, null or undefined are left out (`cond && h(…)`). */
export function h(tag: ViewTag, attrs?: ViewAttributes | null, ...children: readonly (ViewNode | readonly ViewNode[] | false | null | undefined)[]): ViewElement {
  const kids: ViewNode[] = [];
  for (const c of children) {
    if (c === false || c === null || c === undefined) continue;
    if (typeof c === 'string' || !Array.isArray(c)) kids.push(c as ViewNode);
    else kids.push(...(c as readonly ViewNode[]));
  }
  return { tag, ...(attrs ? { attrs } : {}), ...(kids.length > 0 ? { children: kids } : {}) };
}
