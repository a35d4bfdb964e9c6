/** What the explain webview's script posts to the extension, validated. */

/** What the explain webview posts to the extension. */
export type ExplainMessage =
  | { readonly type: 'open'; readonly uri: string; readonly line: number }
  | { readonly type: 'again' | 'swap' | 'reach' }
  /** The page (re)loaded: the extension answers with the whole page. */
  | { readonly type: 'ready' };

export function parseExplainMessage(m: unknown): ExplainMessage | undefined {
  if (typeof m !== 'object' || m === null) return undefined;
  const o = m as Record<string, unknown>;
  if (o.type === 'open') {
    const line = typeof o.line === 'string' ? Number(o.line) : o.line;
    if (typeof o.uri !== 'string' || o.uri.length > 4096 || typeof line !== 'number' || !Number.isInteger(line) || line < 0) return undefined;
    return { type: 'open', uri: o.uri, line };
  }
  if (o.type === 'again' || o.type === 'swap' || o.type === 'reach' || o.type === 'ready') return { type: o.type };
  return undefined;
}
