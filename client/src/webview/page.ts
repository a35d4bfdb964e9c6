/**
 * The HTML of a NetPol webview: a strict Content-Security-Policy, the view's stylesheet
 * and its script from the extension's media (dist/media/<view>/), nothing else. The page
 * holds no data: its script asks for it (`ready`) and builds the view from the extension's
 * messages with DOM calls. No `vscode` import: unit-tested under plain Node.
 */
import { randomBytes } from 'node:crypto';

/** A fresh nonce for one page (base64url: safe inside the CSP and attributes). */
export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Nothing runs but the script with this page's nonce, nothing styles the page but
 * stylesheets of the extension's own webview resources (no inline style), no remote
 * content, no eval, no inline event handlers, no base or form targets.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export interface PageShell {
  /** `webview.cspSource`. */
  readonly cspSource: string;
  readonly nonce: string;
  /** The document's title (ours, not data: the panel's tab title is set by the panel). */
  readonly title: string;
  /** `webview.asWebviewUri(…)` of the view's stylesheet and script. */
  readonly styleUri: string;
  readonly scriptUri: string;
}

export function pageHtml(p: PageShell): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${attr(p.title)}</title>
<link rel="stylesheet" href="${attr(p.styleUri)}">
<script defer nonce="${attr(p.nonce)}" src="${attr(p.scriptUri)}"></script>
</head>
<body>
</body>
</html>
`;
}

const ATTR_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** The shell's own values (URIs, the CSP, the nonce) in double-quoted attributes and the title. */
function attr(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ATTR_ESCAPES[c]);
}
