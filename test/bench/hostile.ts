/**
 * Inputs that once made the engine quadratic or froze the editor (issue 18), for the
 * tests (which assert what they yield) and the benchmarks (which print how long it
 * takes). Deterministic: the same arguments give the same bytes.
 */
import { generateMultiDocFile } from './generate';

/**
 * One NetworkPolicy whose `rules` ingress rules all reuse one anchored peer list of
 * `peers` peers (`- from: *peers`). 400 peers and 1,400 rules (43 KB) took 37 s: each
 * alias was resolved by walking the whole document.
 */
export function anchoredPeerRules(rules: number, peers: number): string {
  const list = Array.from({ length: peers }, (_, i) => `    - podSelector: {matchLabels: {app: client-${i}}}\n`).join('');
  const reuse = Array.from({ length: rules - 1 }, (_, i) => `  - from: *peers\n    ports: [{port: ${1000 + i}}]\n`).join('');
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: clients
  namespace: shop
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: &peers
${list}    ports: [{port: 999}]
${reuse}`;
}

/** `copies` NetworkPolicies named `same` in one namespace, spread over `files` files. 20,000 in one file took 25 s. */
export function sameNamePolicies(copies: number, files = 1): { path: string; text: string }[] {
  const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: same\n  namespace: shop\nspec:\n  podSelector: {}\n';
  return Array.from({ length: files }, (_, f) => {
    const n = Math.floor(copies / files) + (f < copies % files ? 1 : 0);
    return { path: `policies-${f}.yaml`, text: Array.from({ length: n }, () => policy).join('---\n') };
  });
}

/**
 * A NetworkPolicy on one line of about `bytes` characters: JSON, its ingress rule
 * admitting one peer per client app. A 1 MB one froze the server for 9 to 12 s.
 */
export function singleLinePolicy(bytes: number): string {
  const peers: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const p = `{"podSelector":{"matchLabels":{"app":"client-${i}"}}}`;
    peers.push(p);
    length += p.length + 1;
  }
  return `{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"big","namespace":"shop"},"spec":{"podSelector":{"matchLabels":{"app":"api"}},"ingress":[{"from":[${peers.join(',')}],"ports":[{"port":8080}]}]}}\n`;
}

/** A block-style NetworkPolicy whose peer list is one flow line of about `bytes` characters. */
export function flowLinePolicy(bytes: number): string {
  const peers: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const p = `{podSelector: {matchLabels: {app: client-${i}}}}`;
    peers.push(p);
    length += p.length + 2;
  }
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: big
  namespace: shop
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - ports: [{port: 8080}]
    from: [${peers.join(', ')}]
`;
}

/** A file of about `bytes` characters: generated manifests (the 800-document file, repeated with other names). */
export function hugeFile(bytes: number): string {
  const base = generateMultiDocFile(800).file.text;
  const parts: string[] = [];
  let length = 0;
  for (let copy = 0; length < bytes; copy++) {
    const part = copy === 0 ? base : base.replace(/^( {2}name: )(\S+)$/gm, `$1$2-c${copy}`);
    parts.push(part);
    length += part.length + 4;
  }
  return parts.join('---\n');
}
