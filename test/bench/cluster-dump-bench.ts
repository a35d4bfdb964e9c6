/**
 * `netpol check` and `netpol reach` on a cluster dump (issue 15 §3: 100,000 pods in 2,000
 * namespaces with 20,000 policies in < 15 s and < 1.5 GB), as a user runs them: dist/cli.js
 * as a process on ONE file as `kubectl get pods,replicasets,deployments,services,namespaces,
 * networkpolicies -A -o yaml` prints it (test/bench/cluster-dump.ts), at 1k, 10k and 100k
 * pods, wall time and peak RSS (/usr/bin/time), printed as a growth table so a regression
 * shows. The CLI's file bounds are raised for the run (--max-file-mb, --max-total-mb: the
 * 100k dump is past the 64 MB default) and the output goes to a sink that counts lines.
 * Prints figures; asserts nothing.
 *
 *   node out/test/bench/cluster-dump-bench.js [--sizes=1000,10000,100000] [--keep]
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateClusterDump, type DumpCounts } from './cluster-dump';

const ROOT = resolve(__dirname, '../../..');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const SIZES = (arg('sizes') ?? '1000,10000,100000').split(',').map(Number);
const KEEP = process.argv.includes('--keep');
const DIR = join(ROOT, 'out', 'bench', 'cluster-dump');

interface Run {
  readonly seconds: number;
  /** User + system CPU seconds (the machine may be shared: wall time alone misleads). */
  readonly cpu: number;
  readonly peakMb: number;
  readonly exit: number;
  readonly lines: number;
  readonly stderr: string;
}

/** Runs the CLI under /usr/bin/time -v; stdout is counted, not kept. */
function runCli(args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn('/usr/bin/time', ['-v', process.execPath, join(ROOT, 'dist/cli.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    child.stdout.on('data', (b: Buffer) => {
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
    });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', fail);
    child.on('close', () => {
      const field = (name: string) => new RegExp(`${name}: (.+)`).exec(err)?.[1]?.trim() ?? '';
      const wall = field('Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)');
      const parts = wall.split(':').map(Number);
      const seconds = parts.reduce((acc, p) => acc * 60 + p, 0);
      const exit = Number(/Exit status: (\d+)/.exec(err)?.[1] ?? /exited with non-zero status (\d+)/.exec(err)?.[1] ?? 0);
      const own = err.split('\tCommand being timed')[0].split('\n').filter((l) => l.trim() !== '' && !l.startsWith('Command exited')).slice(0, 3).join(' | ');
      const cpu = Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)'));
      done({ seconds, cpu, peakMb: Number(field('Maximum resident set size \\(kbytes\\)')) / 1024, exit, lines, stderr: own });
    });
  });
}

function writeDump(pods: number): { path: string; counts: DumpCounts } {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, `cluster-${pods}.yaml`);
  const fd = openSync(path, 'w');
  let pending: string[] = [];
  let size = 0;
  const counts = generateClusterDump({ pods }, (chunk) => {
    pending.push(chunk);
    size += chunk.length;
    if (size > 1 << 20) {
      writeSync(fd, pending.join(''));
      pending = [];
      size = 0;
    }
  });
  writeSync(fd, pending.join(''));
  closeSync(fd);
  return { path, counts };
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

async function main(): Promise<void> {
  console.log('netpol check / reach on one kubectl List dump (target at 100k pods: < 15 s, < 1,500 MB each):');
  console.log(`  ${'pods'.padStart(7)} ${'ns'.padStart(5)} ${'policies'.padStart(8)} ${'MB'.padStart(6)} | ${'check s'.padStart(8)} ${'cpu s'.padStart(6)} ${'MB RSS'.padStart(7)} ${'exit'.padStart(4)} | ${'reach s'.padStart(8)} ${'cpu s'.padStart(6)} ${'MB RSS'.padStart(7)} ${'lines'.padStart(9)} ${'exit'.padStart(4)}`);
  const rows: { pods: number; check: Run; reach: Run }[] = [];
  for (const pods of SIZES) {
    const { path, counts } = writeDump(pods);
    const bounds = ['--max-file-mb', '511', '--max-total-mb', '1024'];
    const check = await runCli(['check', path, ...bounds, '--fail-on', 'error']);
    const reach = await runCli(['reach', path, ...bounds]);
    rows.push({ pods, check, reach });
    console.log(
      `  ${fmt(pods).padStart(7)} ${fmt(counts.namespaces).padStart(5)} ${fmt(counts.policies).padStart(8)} ${fmt(counts.bytes / 1048576, 1).padStart(6)} | ${fmt(check.seconds, 2).padStart(8)} ${fmt(check.cpu, 1).padStart(6)} ${fmt(check.peakMb).padStart(7)} ${String(check.exit).padStart(4)} | ${fmt(reach.seconds, 2).padStart(8)} ${fmt(reach.cpu, 1).padStart(6)} ${fmt(reach.peakMb).padStart(7)} ${fmt(reach.lines).padStart(9)} ${String(reach.exit).padStart(4)}`,
    );
    if (check.exit > 1) console.log(`      check: ${check.stderr}`);
    if (reach.exit !== 0) console.log(`      reach: ${reach.stderr}`);
    if (!KEEP) rmSync(path, { force: true });
  }
  // How cost grows: each size against the one before (10x the pods: linear is x10).
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    const x = b.pods / a.pods;
    console.log(
      `  growth ${fmt(a.pods)} -> ${fmt(b.pods)} pods (x${fmt(x)}): check time x${fmt(b.check.seconds / Math.max(a.check.seconds, 0.01), 1)}, RSS x${fmt(b.check.peakMb / a.check.peakMb, 1)}; reach time x${fmt(b.reach.seconds / Math.max(a.reach.seconds, 0.01), 1)}, RSS x${fmt(b.reach.peakMb / a.reach.peakMb, 1)}`,
    );
  }
}

void main();
