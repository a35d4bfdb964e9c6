/**
 * Shared pieces of the NetPol webviews: escaping, the Content-Security-Policy and the
 * page shell with theme-aware CSS. No `vscode` import: unit-tested under plain Node.
 */
import { randomBytes } from 'node:crypto';
import { html } from '../../../server/src/core/format/escape';

/** Escapes text for element content and double- or single-quoted attribute values (the core's one HTML escaper). */
export const escapeHtml = html;

/** Escapes a double-quoted attribute value (quotes of the other kind stay readable). */
export function escapeAttr(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ATTR_ESCAPES[c]);
}

const ATTR_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** A fresh nonce for one rendering of a webview (base64url: safe inside the CSP and attributes). */
export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * Nothing is loaded but our own nonce'd inline script and style (and, should a view ever
 * need them, images and styles from the extension's own webview resources). No remote
 * content, no eval, no inline event handlers or style attributes.
 */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export interface PageShell {
  readonly cspSource: string;
  readonly nonce: string;
  readonly title: string;
  readonly bodyClass?: string;
  readonly css: string;
  readonly body: string;
  readonly script: string;
}

export function renderPage(p: PageShell): string {
  const nonce = escapeHtml(p.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(p.cspSource, p.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(p.title)}</title>
<style nonce="${nonce}">
${BASE_CSS}
${p.css}
</style>
</head>
<body${p.bodyClass ? ` class="${escapeHtml(p.bodyClass)}"` : ''}>
${p.body}
<script nonce="${nonce}">
${p.script}
</script>
</body>
</html>
`;
}

/** Theme colours only (VS Code sets the --vscode-* variables on the webview's root). */
export const BASE_CSS = `
body {
  color: var(--vscode-foreground);
  background: var(--vscode-editor-background);
  font-family: var(--vscode-font-family);
  font-size: var(--vscode-font-size);
  padding: 0 16px 16px;
  margin: 0;
}
code, .mono { font-family: var(--vscode-editor-font-family); font-size: 0.95em; }
a, .link { color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: none; }
a:hover, .link:hover { color: var(--vscode-textLink-activeForeground); text-decoration: underline; }
a:focus-visible, [tabindex]:focus-visible, button:focus-visible, input:focus-visible {
  outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px;
}
button {
  color: var(--vscode-button-secondaryForeground);
  background: var(--vscode-button-secondaryBackground);
  border: 1px solid var(--vscode-button-border, transparent);
  padding: 3px 10px; border-radius: 2px; cursor: pointer; font: inherit;
}
button:hover { background: var(--vscode-button-secondaryHoverBackground); }
button.primary, button[aria-pressed="true"] {
  color: var(--vscode-button-foreground);
  background: var(--vscode-button-background);
}
button.primary:hover, button[aria-pressed="true"]:hover { background: var(--vscode-button-hoverBackground); }
input[type="text"], input:not([type]) {
  color: var(--vscode-input-foreground);
  background: var(--vscode-input-background);
  border: 1px solid var(--vscode-input-border, transparent);
  padding: 3px 6px; font: inherit; border-radius: 2px;
}
input::placeholder { color: var(--vscode-input-placeholderForeground); }
input[aria-invalid="true"] { border-color: var(--vscode-inputValidation-errorBorder); }
.muted { color: var(--vscode-descriptionForeground); }
.error { color: var(--vscode-errorForeground); }
`;
