import { fix } from '../support';
import type { FixProvider } from '../types';
import { addExcepts } from './except-ranges';

/** An egress ipBlock holding 169.254.169.254 -> except 169.254.169.254/32. */
export const egressToCloudMetadataFix: FixProvider = {
  rule: 'egress-to-cloud-metadata',
  fixesFor(finding, ctx) {
    const r = addExcepts(finding, ctx, (family) => (family === 4 ? ['169.254.169.254/32'] : []));
    return r ? fix('Except the cloud metadata endpoint (169.254.169.254/32)', [r.edit], { preferred: true, safe: true }) : [];
  },
};
