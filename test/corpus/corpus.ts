import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The shared netpol-analyzer corpus, beside the project root (read-only). */
export const CORPUS_DIR = resolve(__dirname, '../../../../shared/corpus/netpol-analyzer');

export interface CorpusCase {
  readonly name: string;
  readonly group: string;
  readonly tags: readonly string[];
  readonly dir: string;
  readonly inputDir: string;
  readonly expectedConnlist: string;
  /** Stored diffs with this case as dir2 (`diff --dir1 <dir1> --dir2 <this case>`). */
  readonly diffs: readonly CorpusDiff[];
}

export interface CorpusDiff {
  /** The other case (ref1). */
  readonly dir1: string;
  /** Expected text output: `<case>/expected/diff/vs_<dir1>.txt`. */
  readonly expectedText: string;
}

/** Why a case is out of scope for now (undefined = in scope). Every case is in scope today. */
export function skipReason(_c: CorpusCase): string | undefined {
  return undefined;
}

export function loadCorpus(): CorpusCase[] {
  const index = JSON.parse(readFileSync(join(CORPUS_DIR, 'cases.json'), 'utf8')) as { cases: { name: string; group: string; tags: string[]; diffs?: { dir1: string }[] }[] };
  return index.cases.map((c) => {
    const dir = join(CORPUS_DIR, c.name);
    const expectedPath = join(dir, 'expected', 'connlist.txt');
    return {
      name: c.name,
      group: c.group,
      tags: c.tags,
      dir,
      inputDir: join(dir, 'input'),
      expectedConnlist: existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : '',
      diffs: (c.diffs ?? []).map((d) => {
        const path = join(dir, 'expected', 'diff', `vs_${d.dir1}.txt`);
        return { dir1: d.dir1, expectedText: existsSync(path) ? readFileSync(path, 'utf8') : '' };
      }),
    };
  });
}

/**
 * Cases whose expected output assumes a manifest the API server would reject. We model
 * the cluster, where such an object does not exist, so we differ; the correction makes
 * the manifest valid and must then agree exactly (proving the difference is only that).
 */
export interface DocumentedDifference {
  readonly why: string;
  /** file (relative to input/) -> [from, to] text replacement. */
  readonly correction: Readonly<Record<string, readonly [string, string]>>;
}

/** A `pods` peer without its required podSelector, made valid: `podSelector: {}` (netpol-analyzer reads the missing selector as that). */
const ADD_POD_SELECTOR = ['    - pods:\n        namespaceSelector:', '    - pods:\n        podSelector: {}\n        namespaceSelector:'] as const;

const MISSING_POD_SELECTOR =
  'an AdminNetworkPolicy has a pods peer without podSelector, which the v1alpha1 CRD requires (spec.ingress[].from[].pods.podSelector: Required value), ' +
  'so the API server rejects the policy and it takes no part; netpol-analyzer reads the missing selector as {} (every pod)';

export const DOCUMENTED_DIFFERENCES: Readonly<Record<string, DocumentedDifference>> = {
  example_pods_w_same_owner_and_labels_gap_with_good_match_expression: {
    why:
      'its NetworkPolicy is named "use_common_labels_same_values": metadata.name must be a lowercase RFC 1123 subdomain ' +
      '(no "_"), so the API server rejects it and the pods stay unisolated; netpol-analyzer does not validate names',
    correction: { 'netpol.yaml': ['use_common_labels_same_values', 'use-common-labels-same-values'] },
  },
  anp_demo: { why: MISSING_POD_SELECTOR, correction: { 'anp_gryffindor_gress.yaml': ADD_POD_SELECTOR, 'anp_ravenclaw_ingress.yaml': ADD_POD_SELECTOR } },
  anp_test_multiple_anps: {
    why: MISSING_POD_SELECTOR,
    correction: Object.fromEntries([8, 9, 10, 11, 12].map((n) => [`anp_from_anp_test_${n}.yaml`, ADD_POD_SELECTOR])),
  },
  anp_test_3_pass_traffic: { why: MISSING_POD_SELECTOR, correction: { 'policies.yaml': ADD_POD_SELECTOR } },
  anp_test_named_ports_multiple_peers: {
    why:
      'an AdminNetworkPolicy egress rule combines a networks peer with a namedPort, which the CRD forbids (CEL: "networks/nodes/domainNames peer cannot be set with namedPorts"), ' +
      'so the API server rejects the policy; netpol-analyzer skips the named port for the address peer, which is what splitting the rule in two means',
    correction: {
      'policies.yaml': [
        '  - action: "Allow"\n    name: "allow-egress"\n    to:\n    - networks:\n      - 104.154.164.170/32\n    - pods:',
        '  - action: "Allow"\n    name: "allow-egress-to-ip"\n    to:\n    - networks:\n      - 104.154.164.170/32\n    ports:\n    - portRange:\n        protocol: UDP\n        start: 5000\n        end: 6000\n    - portNumber:\n        protocol: TCP\n        port: 8080\n' +
          '  - action: "Allow"\n    name: "allow-egress"\n    to:\n    - pods:',
      ],
    },
  },
};

/** Upstream compares after deleting every \n and \r; we compare line sets and order. */
export function normalize(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.length > 0);
}
