/**
 * Issue 15's table: the cost of each kind of edit, as the editor's host sees it (in process:
 * Workspace.applyChange of the edited file's full text, then every finding of the new
 * snapshot), on (a) one file of ~800 documents (~34k lines) and (b) the 10,000-workload /
 * 10,000-policy workspace. Change impact, hover and lenses are not in these figures (the LSP
 * bench measures diagnostics with change impact over stdio). Prints figures; asserts nothing.
 *
 *   node out/test/bench/edit-kinds-bench.js [--edits=20] [--only=a|b] [--kinds=label,hover] [--impact] [--cpu-prof=FILE] [--times]
 *
 * --kinds: only the rows whose label contains one of these words; --impact: the change
 * findings (Workspace.changeFindings, as the server publishes them) timed with each edit;
 * --cpu-prof: a CPU profile of the timed edits only (not the first analysis), for
 * `node out/test/bench/profile-summary.js FILE`.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { Workspace } from '../../server/src/core/workspace';
import { LineIndex } from '../../server/src/core/base/span';
import { generateMultiDocFile, generateWorkspace } from './generate';

const EDITS = Number(process.argv.find((a) => a.startsWith('--edits='))?.slice('--edits='.length) ?? 20);
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const KINDS_ONLY = process.argv.find((a) => a.startsWith('--kinds='))?.slice('--kinds='.length).split(',');
const IMPACT = process.argv.includes('--impact');
/** --times: each edit's time too, in order (to tell a slow edit from a slow kind). */
const TIMES = process.argv.includes('--times');
const CPU_PROF = process.argv.find((a) => a.startsWith('--cpu-prof='))?.slice('--cpu-prof='.length);
const SEP = /^---\n/m;

/** Whether a row is asked for (--kinds). */
const wanted = (label: string) => !KINDS_ONLY || KINDS_ONLY.some((k) => label.includes(k));

/** The inspector's profiler over the timed edits (--cpu-prof). */
const profiler = CPU_PROF ? new Session() : undefined;
function post(method: string): Promise<unknown> {
  return new Promise((resolve, reject) => profiler!.post(method, (err, res) => (err ? reject(err) : resolve(res))));
}
async function startProfile(): Promise<void> {
  if (!profiler) return;
  profiler.connect();
  await post('Profiler.enable');
  await post('Profiler.start');
}
async function stopProfile(): Promise<void> {
  if (!profiler) return;
  const { profile } = (await post('Profiler.stop')) as { profile: unknown };
  writeFileSync(CPU_PROF!, JSON.stringify(profile));
  profiler.disconnect();
}

/** One kind of edit: which documents it applies to, and what it does to one of them (the n-th edit). */
interface EditKind {
  readonly label: string;
  readonly applies: (doc: string) => boolean;
  readonly edit: (doc: string, n: number) => string;
}

const kindOf = (doc: string) => /^kind: (\S+)$/m.exec(doc)?.[1];
const replaceFirst = (re: RegExp, f: (m: RegExpExecArray) => string) => (doc: string) => {
  const m = re.exec(doc);
  return m ? doc.slice(0, m.index) + f(m) + doc.slice(m.index + m[0].length) : doc;
};

const KINDS: readonly EditKind[] = [
  { label: 'policy rule (port)', applies: (d) => kindOf(d) === 'NetworkPolicy' && /\n\s+- port: \d+/.test(d), edit: (d, n) => replaceFirst(/(\n\s+- port: )(\d+)/, (m) => `${m[1]}${1000 + n}`)(d) },
  { label: 'policy selector (label value)', applies: (d) => kindOf(d) === 'NetworkPolicy' && /podSelector:\n\s+matchLabels:\n\s+\S+: \S+/.test(d), edit: (d, n) => replaceFirst(/(podSelector:\n\s+matchLabels:\n\s+\S+: )(\S+)/, (m) => `${m[1]}${m[2].replace(/-e\d+$/, '')}-e${n}`)(d) },
  { label: 'workload label (pod template)', applies: (d) => kindOf(d) === 'Deployment' && /^ {8}version: \S+$/m.test(d), edit: (d, n) => replaceFirst(/^( {8}version: )(\S+)$/m, (m) => `${m[1]}v${n}`)(d) },
  { label: 'workload rename', applies: (d) => kindOf(d) === 'Deployment', edit: (d, n) => replaceFirst(/^( {2}name: )(\S+)$/m, (m) => `${m[1]}${m[2].replace(/-r\d+$/, '')}-r${n}`)(d) },
  { label: 'namespace label', applies: (d) => kindOf(d) === 'Namespace' && /^ {4}team: \S+$/m.test(d), edit: (d, n) => replaceFirst(/^( {4}team: )(\S+)$/m, (m) => `${m[1]}team-e${n}`)(d) },
  { label: 'Service port', applies: (d) => kindOf(d) === 'Service' && /^ {6}port: \d+$/m.test(d), edit: (d, n) => replaceFirst(/^( {6}port: )(\d+)$/m, (m) => `${m[1]}${8000 + n}`)(d) },
];

interface Row {
  readonly label: string;
  readonly times: number[];
  rss: number;
}

function stats(label: string, times: number[], rss: number): string {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
  return `  ${label.padEnd(40)} p50 ${at(0.5).toFixed(1).padStart(7)}  p95 ${at(0.95).toFixed(1).padStart(7)}  max ${s[s.length - 1].toFixed(1).padStart(7)}  rss ${rss.toFixed(0).padStart(5)} MB  (${times.length} edits)`;
}

/** Runs every kind of edit on `files` (uri -> text), each edit timed: applyChange + findings. */
async function bench(title: string, files: Map<string, string>): Promise<void> {
  const ws = new Workspace();
  const t = performance.now();
  ws.applyChange([...files].map(([uri, text]) => ({ kind: 'disk' as const, uri, text })));
  const cold = ws.snapshot().findings().length;
  console.log(`${title}: first analysis ${(performance.now() - t).toFixed(0)} ms (${cold} findings)`);
  const rows: Row[] = [];
  await startProfile();
  const timed = (uri: string, text: string, row: Row) => {
    const t0 = performance.now();
    ws.applyChange({ kind: 'open', uri, text });
    ws.snapshot().findings();
    if (IMPACT) ws.changeFindings();
    row.times.push(performance.now() - t0);
    files.set(uri, text);
  };
  const untimed = (uri: string, text: string) => {
    ws.applyChange({ kind: 'open', uri, text });
    ws.snapshot().findings();
    if (IMPACT) ws.changeFindings();
    files.set(uri, text);
  };
  // Each kind edits documents of one file (the first file that has one), spread over it.
  for (const kind of KINDS) {
    if (!wanted(kind.label)) continue;
    const uri = [...files.keys()].find((u) => files.get(u)!.split(SEP).some(kind.applies));
    if (!uri) continue;
    const row: Row = { label: kind.label, times: [], rss: 0 };
    // Warm-up: the file opened in the editor.
    untimed(uri, files.get(uri)!);
    for (let n = 0; n < EDITS; n++) {
      const docs = files.get(uri)!.split(SEP);
      const candidates = docs.map((d, i) => (kind.applies(d) ? i : -1)).filter((i) => i >= 0);
      const j = candidates[(n * 7) % candidates.length];
      docs[j] = kind.edit(docs[j], n);
      timed(uri, docs.join('---\n'), row);
    }
    row.rss = process.memoryUsage().rss / 2 ** 20;
    rows.push(row);
  }
  // Insert and delete a document, paste 1,000 lines (then undo it, untimed).
  const uri = [...files.keys()][0];
  const insert: Row = { label: 'document insert', times: [], rss: 0 };
  const remove: Row = { label: 'document delete', times: [], rss: 0 };
  const paste: Row = { label: 'paste of 1,000 lines', times: [], rss: 0 };
  for (let n = 0; n < EDITS && (wanted(insert.label) || wanted(remove.label) || wanted(paste.label)); n++) {
    const before = files.get(uri)!;
    const docs = before.split(SEP);
    const at = 1 + ((n * 7) % (docs.length - 1));
    const added = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bench-${n}\n  namespace: tenant-0000\ndata:\n  URL: "http://web-0.tenant-0000:80"\n`;
    timed(uri, [...docs.slice(0, at), added, ...docs.slice(at)].join('---\n'), insert);
    timed(uri, before, remove);
    // 1,000 lines copied from the file itself, renamed so they are new objects.
    const lines = before.split('\n');
    const start = lines.findIndex((l, i) => i >= (n * 997) % Math.max(1, lines.length - 1000) && l === '---');
    const block = lines.slice(start + 1, start + 1001).join('\n').replace(/^( {2}name: )(\S+)$/gm, `$1$2-p${n}`);
    timed(uri, `${before}${before.endsWith('\n') ? '' : '\n'}---\n${block}\n`, paste);
    untimed(uri, before);
  }
  for (const r of [insert, remove, paste]) r.rss = process.memoryUsage().rss / 2 ** 20;
  for (const r of [insert, remove, paste]) if (r.times.length > 0) rows.push(r);
  // Hover and lenses on the snapshot after a workload edit (what the editor asks once typing stops).
  const label = KINDS.find((k) => k.label.startsWith('workload label'))!;
  const hoverUri = [...files.keys()].find((u) => files.get(u)!.split(SEP).some(label.applies));
  if (hoverUri && (wanted('hover') || wanted('lenses'))) {
    const hoverWorkload: Row = { label: 'hover on a workload (after an edit)', times: [], rss: 0 };
    const hoverPolicy: Row = { label: 'hover on a policy (after an edit)', times: [], rss: 0 };
    const lenses: Row = { label: 'code lenses of the file (after an edit)', times: [], rss: 0 };
    const lines = new Map<string, LineIndex>();
    const locate = (span: { file: string; start: number }) => {
      let idx = lines.get(span.file);
      if (!idx) lines.set(span.file, (idx = new LineIndex(files.get(span.file) ?? '')));
      return { uri: span.file, line: idx.positionAt(span.start).line };
    };
    for (let n = 0; n < EDITS; n++) {
      const docs = files.get(hoverUri)!.split(SEP);
      const candidates = docs.map((d, i) => (label.applies(d) ? i : -1)).filter((i) => i >= 0);
      const j = candidates[(n * 11) % candidates.length];
      docs[j] = label.edit(docs[j], 100 + n);
      const text = docs.join('---\n');
      untimed(hoverUri, text);
      lines.clear();
      const snapshot = ws.snapshot();
      // The offset of `spec:` in the n-th document of a kind: a hover on its pods / its policy.
      const offsetIn = (kind: string) => {
        let at = 0;
        const matching: number[] = [];
        for (const d of docs) {
          if (kindOf(d) === kind) matching.push(at + d.indexOf('\nspec:') + 1);
          at += d.length + 4;
        }
        return matching[(n * 13) % matching.length];
      };
      for (const [row, kind] of [[hoverWorkload, 'Deployment'], [hoverPolicy, 'NetworkPolicy']] as const) {
        const offset = offsetIn(kind);
        if (offset === undefined) continue;
        const t0 = performance.now();
        snapshot.hover(hoverUri, offset, locate);
        row.times.push(performance.now() - t0);
      }
      const t0 = performance.now();
      snapshot.lenses(hoverUri);
      lenses.times.push(performance.now() - t0);
    }
    for (const r of [hoverWorkload, hoverPolicy, lenses]) {
      r.rss = process.memoryUsage().rss / 2 ** 20;
      if (r.times.length > 0) rows.push(r);
    }
  }
  await stopProfile();
  for (const r of rows) {
    console.log(stats(r.label, r.times, r.rss));
    if (TIMES) console.log(`    each: ${r.times.map((t) => t.toFixed(0)).join(' ')}`);
  }
}

async function main(): Promise<void> {
  console.log('Edit kinds (issue 15): applyChange of the edited file + every finding of the snapshot, in process (ms); budget p95 <= 50 ms');
  if (ONLY !== 'b') {
    const one = generateMultiDocFile(800);
    await bench(`(a) one file: ${one.documents} documents, ${one.lines} lines`, new Map([[`file:///a/${one.file.path}`, one.file.text]]));
  }
  if (ONLY === 'a') return;
  const ws = generateWorkspace({ namespaces: 100, workloadsPerNamespace: 100, files: 100 });
  await bench(`(b) workspace: ${ws.counts.workloads} workloads, ${ws.counts.policies} policies, ${ws.counts.files} files`, new Map(ws.files.map((f) => [`file:///b/${f.path}`, f.text])));
}

void main();
