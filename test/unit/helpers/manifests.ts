/**
 * Shared helpers for analysis tests: feed YAML text through the whole pipeline
 * (load, model, reachability) and read the result back as netpol-analyzer style
 * connlist lines, so a test can state the expected connectivity exactly.
 */
import { analyze, type Analysis, type AnalyzeOptions } from '../../../server/src/core/analysis/analyze';
import { formatConnlist } from '../../../server/src/core/ide/formats/connlist';
import type { SourceFile } from '../../../server/src/core/manifest/load';
import { allConnections } from '../../../server/src/core/reach/connections';

/**
 * Template tag that strips the common leading indentation (and a leading/trailing
 * blank line), so manifests can be written indented inside test bodies.
 */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  let text = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  text = text.replace(/^[ \t]*\r?\n/, '').replace(/\r?\n[ \t]*$/, '\n');
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const strip = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(strip, /^ */.exec(l)![0].length))).join('\n');
}

/** Joins YAML documents into one multi-document stream. */
export function docs(...documents: string[]): string {
  return documents.map((d) => d.replace(/\n*$/, '\n')).join('---\n');
}

/** Runs the pipeline on one YAML text (or several files). */
export function analyzeYaml(input: string | readonly SourceFile[], options: AnalyzeOptions = {}): Analysis {
  const files = typeof input === 'string' ? [{ path: 'manifests.yaml', text: input }] : input;
  return analyze(files, options);
}

export interface ConnlistFlags {
  /** Keep workload-to-itself lines (off by default, as in netpol-analyzer). */
  readonly includeSelf?: boolean;
  /** Keep lines with an `[External]` endpoint (default true). */
  readonly external?: boolean;
}

/** The connectivity as connlist text lines: `src => dst : conn`, sorted by src then dst. */
export function connlist(input: string | readonly SourceFile[], options: AnalyzeOptions = {}, flags: ConnlistFlags = {}): string[] {
  const { reach } = analyzeYaml(input, options);
  const text = formatConnlist(allConnections(reach, { includeSelf: flags.includeSelf }), 'text');
  const lines = text.split('\n').filter((l) => l !== '');
  return flags.external === false ? lines.filter((l) => !l.includes('[External]')) : lines;
}

/** Only the in-cluster lines (workloads and the ingress controller). */
export function clusterConnlist(input: string | readonly SourceFile[], options: AnalyzeOptions = {}): string[] {
  return connlist(input, options, { external: false });
}

/** The connectivity as a map `"src => dst"` -> connection string. */
export function connMap(input: string | readonly SourceFile[], options: AnalyzeOptions = {}, flags: ConnlistFlags = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of connlist(input, options, flags)) {
    const at = line.lastIndexOf(' : ');
    out.set(line.slice(0, at), line.slice(at + 3));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Manifest builders for the boring parts (namespaces, workloads); policies are
// written out in full in the tests. JSON flow values are valid YAML.

export function namespace(name: string, labels: Record<string, string> = {}): string {
  const l = Object.keys(labels).length > 0 ? `\n  labels: ${JSON.stringify(labels)}` : '';
  return `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}${l}\n`;
}

export interface PortSpec {
  readonly containerPort: number;
  readonly name?: string;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export interface WorkloadSpec {
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly ports?: readonly PortSpec[];
  readonly hostNetwork?: boolean;
}

function containers(ports: readonly PortSpec[] | undefined, indent: string): string {
  const lines = [`${indent}containers:`, `${indent}  - name: main`, `${indent}    image: registry.example.com/app:1.0`];
  if (ports && ports.length > 0) {
    lines.push(`${indent}    ports:`);
    for (const p of ports) lines.push(`${indent}      - ${JSON.stringify(p)}`);
  }
  return lines.join('\n');
}

export function deployment(name: string, spec: WorkloadSpec): string {
  const ns = spec.namespace ? `\n  namespace: ${spec.namespace}` : '';
  const hn = spec.hostNetwork ? '\n      hostNetwork: true' : '';
  return (
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}${ns}\nspec:\n  replicas: 2\n` +
    `  selector:\n    matchLabels: ${JSON.stringify(spec.labels)}\n  template:\n    metadata:\n      labels: ${JSON.stringify(spec.labels)}\n` +
    `    spec:${hn}\n${containers(spec.ports, '      ')}\n`
  );
}

export function pod(name: string, spec: WorkloadSpec): string {
  const ns = spec.namespace ? `\n  namespace: ${spec.namespace}` : '';
  const hn = spec.hostNetwork ? '\n  hostNetwork: true' : '';
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}${ns}\n  labels: ${JSON.stringify(spec.labels)}\nspec:${hn}\n${containers(spec.ports, '  ')}\n`;
}
