import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze, type AnalyzeOptions } from '../../server/src/core/analysis/analyze';
import { DEFAULTS } from '../../server/src/core/analysis/config';
import { evidenceOf, evidenceOptionsOf } from '../../server/src/core/analysis/evidence';
import { endName } from '../../server/src/core/evidence/evidence';
import type { Evidence } from '../../server/src/core/evidence/types';
import { lineLocator, locateEvidence, type LocatedFlow, type LocatedNote } from '../../server/src/core/ide/formats/evidence';
import type { SourceFile } from '../../server/src/core/manifest/types';

/** The YAML files under a folder, paths relative to it, in name order. */
export function yamlFiles(dir: string, only?: RegExp): SourceFile[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(n) && (!only || only.test(relative(dir, p)))) out.push(p);
    }
  };
  walk(dir);
  return out.map((p) => ({ path: relative(dir, p).split('\\').join('/'), text: readFileSync(p, 'utf8') }));
}

export interface EvidenceResult {
  readonly evidence: Evidence;
  readonly flows: LocatedFlow[];
  readonly notes: LocatedNote[];
  /** `src => dst : PROTO port` of each flow, once each, sorted. */
  readonly edges: string[];
}

export function evidenceFor(files: readonly SourceFile[], opts: { dns?: boolean; analyze?: AnalyzeOptions } = {}): EvidenceResult {
  const analysis = analyze(files, opts.analyze ?? {});
  const evidence = evidenceOf(analysis, evidenceOptionsOf(DEFAULTS, { dns: opts.dns ?? false }));
  const texts = new Map(files.map((f) => [f.path, f.text]));
  const { flows, notes } = locateEvidence(evidence, lineLocator((f) => texts.get(f) ?? ''));
  const edges = [...new Set(evidence.flows.map((f) => `${endName(f.src)} => ${endName(f.dst)} : ${f.protocol} ${f.port}`))].sort();
  return { evidence, flows, notes, edges };
}
