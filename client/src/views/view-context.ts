import type { NetPolServer } from '../connection/netpol-server';
import type { WebviewMedia } from '../webview/media';

/** What the views' commands and panels work with: the server's requests and events, the webviews' resources. */
export interface ViewContext {
  readonly server: NetPolServer;
  readonly media: WebviewMedia;
}
