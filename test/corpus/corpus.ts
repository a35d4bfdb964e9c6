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
}

/** Why a case is out of scope for now (undefined = in scope). */
export function skipReason(c: CorpusCase): string | undefined {
  if (c.group === 'anp') return 'needs AdminNetworkPolicy/BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1), not modelled yet';
  return undefined;
}

export function loadCorpus(): CorpusCase[] {
  const index = JSON.parse(readFileSync(join(CORPUS_DIR, 'cases.json'), 'utf8')) as { cases: { name: string; group: string; tags: string[] }[] };
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
    };
  });
}

/** Upstream compares after deleting every \n and \r; we compare line sets and order. */
export function normalize(text: string): string[] {
  return text.split(/\r?\n/).filter((l) => l.length > 0);
}
