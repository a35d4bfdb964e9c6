import { asMap, asSeq, fix, step } from '../support';
import type { FixProvider } from '../types';

/**
 * Two peers `- namespaceSelector: …` and `- podSelector: …` (OR) -> one peer with both
 * (AND). In block style that is removing the second item's dash; in flow style, joining
 * the two mappings.
 */
export const andOrPitfallFix: FixProvider = {
  rule: 'and-or-pitfall',
  fixesFor(finding, ctx) {
    const m = /^(.*\.(?:from|to))\[(\d+)\]\.(namespaceSelector|podSelector)$/.exec(finding.path);
    if (!m) return [];
    const seq = asSeq(step(ctx, m[1])?.node);
    const i = Number(m[2]);
    if (!seq || i < 1) return [];
    const a = asMap(seq.items[i - 1]);
    const b = asMap(seq.items[i]);
    if (!a || !b || a.items.length !== 1 || b.items.length !== 1) return [];
    const e = ctx.editor;
    const title = 'Merge into one peer: namespaceSelector AND podSelector';
    if (!seq.flow && !a.flow && !b.flow) {
      // `- podSelector:` -> `  podSelector:`, aligned with the other key.
      const dash = e.dashOf(b);
      const keyA = e.start(a.items[0].key);
      const keyB = e.start(b.items[0].key);
      if (dash === undefined || !e.startsLine(dash) || e.col(keyB) !== e.col(keyA)) return [];
      return fix(title, [e.edit(dash, dash + 1, ' ')], { preferred: true });
    }
    if (a.flow && b.flow) {
      // `{namespaceSelector: …}, {podSelector: …}` -> `{namespaceSelector: …, podSelector: …}`.
      const close = e.end(a) - 1;
      const open = e.start(b);
      if (e.text[close] !== '}' || e.text[open] !== '{' || e.text.slice(close, open).includes('#')) return [];
      return fix(title, [e.edit(close, open + 1, ', ')], { preferred: true });
    }
    if (!seq.flow && !a.flow && b.flow) {
      // A block peer then `- {podSelector: …}`: the pair moves under the first peer's key.
      const dash = e.dashOf(b);
      const keyA = e.start(a.items[0].key);
      const keyB = e.start(b.items[0].key);
      const close = e.end(b) - 1;
      if (dash === undefined || !e.startsLine(dash) || e.text[close] !== '}' || e.text.slice(e.lineStart(dash), keyB).includes('\n')) return [];
      const inner = e.contentEnd(b.items[0].value);
      return fix(title, [e.edit(e.lineStart(dash), keyB, ' '.repeat(e.col(keyA))), e.edit(inner, close + 1, '')], { preferred: true });
    }
    return [];
  },
};
