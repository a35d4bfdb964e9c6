import type { YAMLMap } from 'yaml';
import { ipBlockRange, parseIp } from '../base/ip';
import type { NodeReader } from '../yaml/nodes';
import { effectiveRules, parsedIpBlock } from './support/isolation';
import type { WorkspaceRule } from './types';

const METADATA = parseIp('169.254.169.254')!;
/** The instance-metadata services (AWS IMDS, GCP, Azure IMDS, OpenStack) all serve HTTP on port 80. */
const METADATA_PORT = 80;

export const egressToCloudMetadata: WorkspaceRule = {
  meta: {
    id: 'egress-to-cloud-metadata',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'An egress ipBlock that includes 169.254.169.254 lets pods read the cloud instance metadata (node credentials).',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      if (rule.direction !== 'Egress' || !rule.node || !admitsMetadataPort(r, rule.node)) continue;
      for (const peer of rule.peers) {
        const block = parsedIpBlock(r, peer.node);
        if (!block || block.cidr.family !== 4) continue;
        const { text, cidr, excepts } = block;
        if (!ipBlockRange(cidr, excepts).containsRange(METADATA.value, METADATA.value)) continue;
        // An except must be a strict subset of the cidr: for the /32 itself, there is nothing to except.
        const fix =
          cidr.prefix < 32
            ? 'Add except: [169.254.169.254/32] to this ipBlock'
            : 'Remove this ipBlock unless the pods must act with the node\'s cloud identity (prefer per-workload cloud identities)';
        report({
          message:
            `ipBlock ${text} includes 169.254.169.254, the cloud instance-metadata endpoint: this rule lets the selected pods reach it, and on most clouds it hands out the node's credentials. ${fix}.`,
          span: r.span(block.node),
          path: `${peer.path}.ipBlock.cidr`,
        });
      }
    }
  },
};

/**
 * Whether the rule's ports let HTTP to the metadata endpoint through: no ports (all), or a
 * TCP entry without a port or whose range holds 80. Named ports never match outside the
 * cluster (there is no pod to resolve them on).
 */
function admitsMetadataPort(r: NodeReader, rule: YAMLMap): boolean {
  const ports = r.items(r.get(rule, 'ports'));
  if (ports.length === 0) return true;
  return ports.some((p) => {
    const m = r.map(p);
    const protocol = r.has(m, 'protocol') ? r.string(r.get(m, 'protocol')) : 'TCP';
    if (protocol !== 'TCP') return false;
    const portNode = r.get(m, 'port');
    // Absent or null: every port of the protocol.
    if (portNode === undefined || r.scalar(portNode)?.value === null) return true;
    const port = r.number(portNode);
    if (port === undefined) return false;
    const end = r.number(r.get(m, 'endPort')) ?? port;
    return port <= METADATA_PORT && METADATA_PORT <= Math.max(port, end);
  });
}
