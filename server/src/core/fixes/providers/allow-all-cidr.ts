import { fix } from '../support';
import type { FixProvider } from '../types';
import { addExcepts } from './except-ranges';

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.169.254/32'];
const PRIVATE_V6 = ['fc00::/7', 'fe80::/10'];

/**
 * A /0 ipBlock -> except the private ranges (RFC 1918) and the cloud metadata endpoint
 * (IPv6: unique-local and link-local). The block still reaches the whole internet, so
 * the rule keeps its (narrower) finding: narrowing cidr itself is a human decision.
 */
export const allowAllCidrFix: FixProvider = {
  rule: 'allow-all-cidr',
  fixesFor(finding, ctx) {
    const r = addExcepts(finding, ctx, (family) => (family === 4 ? PRIVATE_V4 : PRIVATE_V6));
    if (!r) return [];
    const what = r.added.length === 1 ? r.added[0] : `${r.added.slice(0, -1).join(', ')} and ${r.added[r.added.length - 1]}`;
    return fix(`Except private and link-local ranges (${what})`, [r.edit]);
  },
};
