/** What the extension posts to a NetPol webview page; client/media/common/page.js shows it. */
import type { ViewNode } from './view-node';

export type PageMessage =
  /** The whole page: the body's class and children (a toolbar, then `main#content`). */
  | { readonly type: 'page'; readonly bodyClass?: string; readonly body: readonly ViewNode[] }
  /** The results only, the children of `#content`: the toolbar's inputs keep their focus and caret. */
  | { readonly type: 'content'; readonly content: readonly ViewNode[] };
