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

/** Why a case is out of scope for now (undefined = in scope). */
export function skipReason(c: CorpusCase): string | undefined {
  if (c.group === 'anp') return 'needs AdminNetworkPolicy/BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1), not modelled yet';
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

export const DOCUMENTED_DIFFERENCES: Readonly<Record<string, DocumentedDifference>> = {
  example_pods_w_same_owner_and_labels_gap_with_good_match_expression: {
    why:
      'its NetworkPolicy is named "use_common_labels_same_values": metadata.name must be a lowercase RFC 1123 subdomain ' +
      '(no "_"), so the API server rejects it and the pods stay unisolated; netpol-analyzer does not validate names',
    correction: { 'netpol.yaml': ['use_common_labels_same_values', 'use-common-labels-same-values'] },
  },
};

/** Upstream compares after deleting every \n and \r; we compare line sets and order. */
export function normalize(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.length > 0);
}
