/** The file:line links of the explain view, and the only locations its panel opens. */
import type { ExplainResult, SourceLocation } from '../../../../server/src/protocol';

/** Default file naming: the last path segments of the URI, decoded. */
export function defaultDisplayPath(uri: string): string {
  const path = uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0];
  const segments = path.split('/').filter((s) => s !== '');
  let name = segments.slice(-2).join('/');
  try {
    name = decodeURIComponent(name);
  } catch {
    // keep it encoded
  }
  return name || uri;
}

/** `file:line` as shown (lines are 0-based in the protocol, 1-based on screen). */
export function locationText(loc: SourceLocation, displayPath: (uri: string) => string = defaultDisplayPath): string {
  return `${displayPath(loc.uri)}:${loc.line + 1}`;
}

/** The locations the page links to: the panel opens only these. */
export function explainLinks(result: ExplainResult): Set<string> {
  const keys = new Set<string>();
  for (const side of [result.egress, result.ingress]) {
    for (const p of side.policies) {
      keys.add(linkKey(p.location));
      for (const r of p.rules) keys.add(linkKey(r.location));
    }
    for (const d of side.tiers?.decisions ?? []) keys.add(linkKey(d.rule.location));
  }
  return keys;
}

export function linkKey(loc: SourceLocation): string {
  return `${loc.line}@${loc.uri}`;
}
