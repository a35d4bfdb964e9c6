import { closest } from '../../k8s/schema';
import { asScalar, fix, target } from '../support';
import type { FixProvider } from '../types';
import { renderFlow } from '../../yaml/edit';

const TYPES = ['Ingress', 'Egress'];

/**
 * `ingress` -> `Ingress` (safe: only the case differs); a near miss (`Ingres`) -> the
 * closest type; a single string (`policyTypes: Ingress`) -> a one-entry list.
 */
export const invalidPolicyTypesFix: FixProvider = {
  rule: 'invalid-policy-types',
  fixesFor(finding, ctx) {
    const node = asScalar(target(ctx, finding)?.node);
    if (!node || typeof node.value !== 'string') return [];
    const near = closest(node.value, TYPES);
    if (!near) return [];
    const sameCase = near.toLowerCase() === node.value.toLowerCase();
    if (finding.path === 'spec.policyTypes') {
      const e = ctx.editor;
      return fix(`Write policyTypes as a list: [${near}]`, [e.edit(e.start(node), e.end(node), renderFlow([near], e.style))], { preferred: true, safe: sameCase });
    }
    if (near === node.value) return [];
    return fix(sameCase ? `Change to ${near} (policy types are case-sensitive)` : `Change to ${near}`, [ctx.editor.replaceScalar(node, near)], { preferred: true, safe: sameCase });
  },
};
