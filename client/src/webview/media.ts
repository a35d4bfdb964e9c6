/**
 * The webviews' resources: the page of a view loads dist/media/<view>/main.js and
 * view.css (bundled from client/media/ by scripts/build.mjs), and nothing else.
 */
import * as vscode from 'vscode';
import { makeNonce, pageHtml } from './page';
import type { PageMessage } from './page-message';

/** The views with a webview, by their folder under client/media/. */
export type WebviewName = 'reachability' | 'explain';

export class WebviewMedia {
  private readonly root: vscode.Uri;

  constructor(extensionUri: vscode.Uri) {
    this.root = vscode.Uri.joinPath(extensionUri, 'dist', 'media');
  }

  /** A panel's options: its script runs, and it may load the extension's media only. */
  options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, enableFindWidget: true, localResourceRoots: [this.root] };
  }

  /** The page of a view, with a fresh nonce. */
  html(webview: vscode.Webview, view: WebviewName, title: string): string {
    const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.root, view, file)).toString();
    return pageHtml({ cspSource: webview.cspSource, nonce: makeNonce(), title, styleUri: uri('view.css'), scriptUri: uri('main.js') });
  }
}

/** Posts to a page (a page that is gone or not loaded yet asks again with `ready`). */
export function postToPage(webview: vscode.Webview, message: PageMessage): void {
  void webview.postMessage(message).then(undefined, () => undefined);
}
