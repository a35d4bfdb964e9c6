/**
 * Sums a .cpuprofile (node --cpu-prof, or edit-kinds-bench --cpu-prof=FILE) per function:
 * self time, and total time (each sample counted once per function on its stack), the
 * largest first. A reading aid for the benches; prints figures, asserts nothing.
 *
 *   node out/test/bench/profile-summary.js FILE [--top=40] [--total] [--under=NAME] [--from=MS] [--to=MS]
 *
 * --under: only the samples with a function named NAME on their stack.
 * --from/--to: only the samples taken in that window (ms from the profile's start), e.g.
 * a server's cold start up to its first diagnostics.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const file = process.argv[2];
const TOP = Number(process.argv.find((a) => a.startsWith('--top='))?.slice('--top='.length) ?? 40);
const BY_TOTAL = process.argv.includes('--total');
const UNDER = process.argv.find((a) => a.startsWith('--under='))?.slice('--under='.length);
const FROM = Number(process.argv.find((a) => a.startsWith('--from='))?.slice('--from='.length) ?? 0);
const TO = Number(process.argv.find((a) => a.startsWith('--to='))?.slice('--to='.length) ?? Infinity);

function main(): void {
  if (!file) {
    console.error('usage: profile-summary FILE [--top=40] [--total]');
    process.exitCode = 2;
    return;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nameOf = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/out\//, '')}:${n.callFrame.lineNumber + 1}`;
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  let all = 0;
  let clock = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    clock += dt;
    if (clock < FROM || clock > TO) return;
    if (UNDER !== undefined) {
      let found = false;
      for (let at: number | undefined = id; at !== undefined && !found; at = parent.get(at)) found = byId.get(at)!.callFrame.functionName === UNDER;
      if (!found) return;
    }
    all += dt;
    const node = byId.get(id)!;
    self.set(nameOf(node), (self.get(nameOf(node)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = nameOf(byId.get(at)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + dt);
    }
  });
  const rows = [...(BY_TOTAL ? total : self)].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  console.log(`${all.toFixed(0)} ms sampled; by ${BY_TOTAL ? 'total' : 'self'} time (self / total ms):`);
  for (const [name] of rows) console.log(`${(self.get(name) ?? 0).toFixed(0).padStart(7)} ${(total.get(name) ?? 0).toFixed(0).padStart(7)}  ${name}`);
}

main();
