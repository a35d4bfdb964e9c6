/**
 * How the in-process kustomize subset agrees with the real kustomize on a repository (run by
 * hand, not by `npm test`):
 *
 *   npm run compile-tests && node out/test/bench/kustomize-survey.js PATH [-v]
 *
 * Every root the subset finds under PATH is rendered with `--kustomize` (node/kustomize-render:
 * remote references, Helm and plugins are refused, never fetched or run), and each rendered
 * object that maps back to a source document is compared with the subset's variant of that
 * document: kind, namespace and name; labels (metadata, selector, pod template, podSelector);
 * the whole object. Prints one JSON line of counts (and, with -v, each difference: in a root
 * marked partial they are expected, from patches and the like).
 */
import { readdirSync, readFileSync, lstatSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { applyEdits, resolveKustomizations, type KustomizedObject, type KustomizeInputFile } from '../../server/src/core/manifest/kustomize';
import { KustomizeRenderError, renderKustomize } from '../../server/src/node/kustomize-render';

const base = process.argv[2];
const verbose = process.argv.includes('-v');
if (!base) {
  process.stderr.write('usage: node out/test/bench/kustomize-survey.js PATH [-v]\n');
  process.exit(2);
}

function* walk(d: string): Generator<string> {
  for (const n of readdirSync(d).sort()) {
    if (n === '.git' || n === 'node_modules') continue;
    const p = join(d, n);
    const st = lstatSync(p);
    if (st.isDirectory()) yield* walk(p);
    else if (st.isFile() && (/\.(ya?ml|json)$/.test(n) || n === 'Kustomization') && st.size < 16 * 1024 * 1024) yield p;
  }
}

const files: KustomizeInputFile[] = [...walk(base)].map((p) => ({ path: relative(base, p), text: readFileSync(p, 'utf8') }));
const started = Date.now();
const workspace = resolveKustomizations(files, { workspaceRoots: ['.'] });
const resolveMs = Date.now() - started;

const get = (o: unknown, path: readonly string[]): unknown => path.reduce<unknown>((a, k) => (a !== null && typeof a === 'object' ? (a as Record<string, unknown>)[k] : undefined), o);
const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));
const LABEL_PATHS = [['metadata', 'labels'], ['spec', 'selector'], ['spec', 'template', 'metadata', 'labels'], ['spec', 'podSelector']];

const counts = { roots: workspace.roots.length, rendered: 0, refused: 0, failed: 0, partialRoots: 0, objects: 0, mapped: 0, identity: 0, labels: 0, exact: 0, exactInCompleteRoots: 0, objectsInCompleteRoots: 0 };
const docCache = new Map<string, unknown[]>();
const valueOf = (o: KustomizedObject, text: string): unknown => {
  let docs = docCache.get(o.source.file);
  if (!docs) {
    docs = parseAllDocuments(text).map((d) => d.toJS({ maxAliasCount: 1000 }) as unknown);
    docCache.set(o.source.file, docs);
  }
  let v = docs[o.source.documentIndex] as Record<string, unknown>;
  for (const i of o.source.itemPath) v = (v.items as Record<string, unknown>[])[i];
  return v;
};

for (const root of workspace.roots) {
  let render;
  try {
    render = renderKustomize(join(base, root.dir), { untrusted: [base] });
  } catch (e) {
    if (!(e instanceof KustomizeRenderError)) throw e;
    if (/is remote|Helm|plugin/.test(e.message)) counts.refused++;
    else counts.failed++;
    if (verbose) console.log(`${root.dir}: ${e.message.slice(0, 300)}`);
    continue;
  }
  counts.rendered++;
  const complete = !render.resolution.roots[0]?.partial;
  if (!complete) counts.partialRoots++;
  const texts = new Map(render.files.map((f) => [f.path, f.text]));
  for (const o of render.objects) {
    counts.objects++;
    if (complete) counts.objectsInCompleteRoots++;
    const src = o.origin?.source;
    if (!src) continue;
    counts.mapped++;
    const variant = render.resolution.objects.find((v) => v.source === src);
    if (!variant) continue;
    const rendered = parseAllDocuments(render.text.slice(o.start, o.end))[0].toJS() as unknown;
    const view = JSON.parse(JSON.stringify(applyEdits(valueOf(variant, texts.get(src.file) ?? ''), variant.edits))) as unknown;
    const same = (p: readonly string[]): boolean => canonical(get(view, p)) === canonical(get(rendered, p));
    const id = variant.kind === o.kind && variant.name === o.name && variant.namespace === o.namespace;
    if (id) counts.identity++;
    if (LABEL_PATHS.every(same)) counts.labels++;
    if (canonical(view) === canonical(rendered)) {
      counts.exact++;
      if (complete) counts.exactInCompleteRoots++;
    } else if (verbose) {
      const diff = LABEL_PATHS.filter((p) => !same(p)).map((p) => p.join('.'));
      console.log(`${root.dir}${complete ? '' : ' (partial)'}: ${o.kind} ${o.namespace ?? ''}/${o.name}${id ? '' : ` (subset: ${variant.namespace ?? ''}/${variant.name})`}${diff.length ? ` labels differ at ${diff.join(', ')}` : ''}`);
    }
  }
}
console.log(JSON.stringify({ path: base, files: files.length, kustomizations: workspace.kustomizations.length, resolveMs, ...counts }));
