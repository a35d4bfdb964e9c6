import { ipBlockRange, IpSet, parseCidr, type Cidr, type IpFamily } from '../base/ip';
import { effectiveRules, parsedIpBlock, summarize } from './support/isolation';
import type { Node, YAMLMap } from 'yaml';
import { propose } from '../lint/fix';
import { addExcepts } from './support/fix';
import type { WorkspaceRule } from './types';

const PRIVATE_V4 = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.169.254/32'];
const PRIVATE_V6 = ['fc00::/7', 'fe80::/10'];

/** The private networks (RFC 1918, IPv6 unique-local) a cluster's pods, nodes and services live in. */
const PRIVATE_NETWORKS: Readonly<Record<IpFamily, readonly Cidr[]>> = {
  4: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c) as Cidr),
  6: [parseCidr('fc00::/7') as Cidr],
};

/** The ipBlock and its cidr's value. */
interface Data {
  readonly block: YAMLMap;
  readonly cidr: Node | undefined;
}

export const allowAllCidr: WorkspaceRule<Data> = {
  meta: {
    id: 'allow-all-cidr',
    category: 'segmentation',
    defaultSeverity: 'warning',
    description: 'An ipBlock with a /0 cidr (0.0.0.0/0, ::/0) matches every address, the whole internet included (info for an egress rule that lists its ports).',
    fix: 'unsafe',
  },
  checkPolicy(ast, report) {
    const r = ast.reader;
    for (const rule of effectiveRules(ast)) {
      for (const peer of rule.peers) {
        const block = parsedIpBlock(r, peer.node);
        // An invalid cidr is invalid-cidr's finding; anything narrower than /0 is a choice.
        if (!block || block.cidr.prefix !== 0) continue;
        const { text, cidr } = block;
        const excepts = block.excepts.filter((c) => c.family === cidr.family);
        // Excepts that remove everything leave a block that matches nothing: not this rule's concern.
        const range = ipBlockRange(cidr, excepts);
        if (range.isEmpty()) continue;
        const family = cidr.family === 4 ? 'IPv4' : 'IPv6';
        const scope =
          excepts.length === 0
            ? `matches every ${family} address`
            : `minus its except list (${summarize(excepts.map((e) => e.text), 4)}) still matches every other ${family} address`;
        const listsPorts = r.items(r.get(rule.node, 'ports')).length > 0;
        const ports = listsPorts ? 'on the listed ports' : 'on every port';
        // Egress to any address on some ports is written on purpose: the usual way to reach
        // public endpoints whose addresses are not fixed (a cloud's object storage or APIs,
        // package mirrors), since a NetworkPolicy cannot name hosts; the same opening as a
        // ports-only egress rule, which allow-all-peers reports as info. Info here too, saying
        // whether the cluster's own networks are in it (the quick fix takes them out).
        const deliberate = rule.direction === 'Egress' && listsPorts;
        const internetOnly = deliberate && PRIVATE_NETWORKS[cidr.family].every((p) => range.intersect(IpSet.fromCidr(p)).isEmpty());
        const effect =
          rule.direction === 'Ingress'
            ? `this rule admits connections from any address, the whole internet included, ${ports}. Narrow cidr to the networks that must reach these pods (a load balancer, an office range).`
            : internetOnly
              ? `the selected pods may connect to any public address ${ports}. With the private networks excepted and the ports listed, this reads as deliberate access to public endpoints whose addresses are not fixed (a cloud's object storage or APIs, package mirrors); if they are known, narrow cidr to them.`
              : deliberate
                ? `the selected pods may connect to any address ${ports}: the whole internet, and the private networks the cluster's pods, nodes and Services live in. With the ports listed, this reads as deliberate access to endpoints whose addresses are not fixed; if only the internet is meant, except the private networks; if the destinations are known, narrow cidr to them.`
                : `the selected pods may connect to any address, the whole internet included, ${ports}. Narrow cidr to the destinations they need.`;
        report({
          message: `ipBlock ${text} ${scope}: ${effect}`,
          span: r.span(block.node),
          path: `${peer.path}.ipBlock.cidr`,
          data: { block: block.block, cidr: block.node },
          ...(deliberate ? { severity: 'info' as const } : {}),
        });
      }
    }
  },
  /**
   * A /0 ipBlock -> except the private ranges (RFC 1918) and the cloud metadata endpoint
   * (IPv6: unique-local and link-local). The block still reaches the whole internet, so
   * the rule keeps its (narrower) finding: narrowing cidr itself is a human decision.
   */
  fix({ block, cidr }, ctx) {
    const r = addExcepts(ctx, block, cidr, (family) => (family === 4 ? PRIVATE_V4 : PRIVATE_V6));
    if (!r) return [];
    const what = r.added.length === 1 ? r.added[0] : `${r.added.slice(0, -1).join(', ')} and ${r.added[r.added.length - 1]}`;
    return propose(`Except private and link-local ranges (${what})`, [r.edit]);
  },
};
