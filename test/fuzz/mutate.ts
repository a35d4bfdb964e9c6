/**
 * The fuzzer's mutator: turns a real manifest into a hostile variant, deterministically
 * from a PRNG. Each operation is one thing real or malicious input does: lines deleted,
 * duplicated, swapped or re-indented, text truncated, scalars swapped for huge,
 * negative, non-ASCII or empty values, maps for lists, anchors, aliases and tags,
 * CRLF, byte-order marks, tabs, duplicate keys, names of Object.prototype members as
 * keys and values, document markers, deep nesting and junk characters.
 */

export type Rng = () => number;

/** Names that a plain object already "has": as keys and values they must stay data. */
export const PROTOTYPE_NAMES = [
  'constructor',
  'toString',
  '__proto__',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupGetter__',
  'prototype',
  'length',
] as const;

const KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'List', 'PodList', 'NetworkPolicy', 'Namespace', 'Service', 'Ingress', 'Route', 'ConfigMap'];

const WEIRD_SCALARS = [
  '',
  '""',
  "''",
  '~',
  'null',
  'true',
  'no',
  '-1',
  '0',
  '-65536',
  '65536',
  '1.5',
  '0x50',
  '0o17',
  '1e309',
  '-.inf',
  '.nan',
  '99999999999999999999999',
  '2001-12-14t21:59:43.10-05:00',
  'ünïcødé',
  '名前空間',
  '"😀🏳️‍🌈"',
  '"\\u202Eevil"',
  '"a\\u0000b"',
  'ｆｕｌｌｗｉｄｔｈ',
  '"line\\nbreak"',
  '"<img src=x onerror=alert(1)>"',
  '"=cmd|\' /C calc\'!A0"',
  '0.0.0.0/0',
  '::/0',
  '10.0.0.0/33',
  '169.254.169.254/32',
  'TCP',
  'udp',
  'In',
  'Exists',
  'Ingress',
  '[]',
  '{}',
  '[[]]',
  '{a: {b: {c: []}}}',
];

const TAGS = ['!!str', '!!int', '!!float', '!!bool', '!!null', '!!map', '!!seq', '!!binary', '!!set', '!!omap', '!!timestamp', '!custom', '!<tag:yaml.org,2002:str>'];

const JUNK = ['{', '}', '[', ']', ':', ': ', '- ', '#', '&', '*', '!', '|', '>', '%', '@', '`', '"', "'", ',', '?', '\t', '\r', '\u0000', '\u0007', '\u00a0', '\u2028', '\ufeff', '\\', '{{ .Values.x }}'];

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)];
}

function int(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** A huge scalar: a long word, a long number, many items. */
function huge(rng: Rng): string {
  switch (int(rng, 4)) {
    case 0:
      return 'x'.repeat(1000 + int(rng, 100_000));
    case 1:
      return '9'.repeat(20 + int(rng, 400));
    case 2:
      return `[${Array.from({ length: 100 + int(rng, 5000) }, (_, i) => `v${i}`).join(', ')}]`;
    default:
      return `{${Array.from({ length: 100 + int(rng, 3000) }, (_, i) => `k${i}: ${i}`).join(', ')}}`;
  }
}

function value(rng: Rng): string {
  const r = rng();
  if (r < 0.08) return huge(rng);
  if (r < 0.25) return pick(rng, PROTOTYPE_NAMES);
  if (r < 0.32) return pick(rng, KINDS);
  return pick(rng, WEIRD_SCALARS);
}

/** `key: value` and `- value` lines: [prefix up to the value, the value]. */
const KEY_VALUE = /^(\s*(?:- +)*[^\s#:][^#:]*?:[ ]+)(\S.*)$/;
const ITEM = /^(\s*(?:- +)+)(\S.*)$/;
const KEY = /^(\s*(?:- +)*)([^\s#:'"{}[\],][^#:]*?)(:(?:\s.*)?)$/;

type Op = (lines: string[], rng: Rng, other: () => string[]) => string[] | string;

const OPS: readonly [string, Op][] = [
  ['delete-line', (l, rng) => (l.length > 1 ? remove(l, int(rng, l.length)) : l)],
  ['duplicate-line', (l, rng) => insertAt(l, int(rng, l.length), l[int(rng, l.length)] ?? '')],
  ['swap-lines', (l, rng) => swap(l, int(rng, l.length), int(rng, l.length))],
  ['reindent', (l, rng) => edit(l, rng, (s) => ' '.repeat([0, 1, 2, 3, 4, 6, 8, 40][int(rng, 8)]) + s.trimStart())],
  ['truncate', (l, rng) => l.join('\n').slice(0, int(rng, l.join('\n').length + 1))],
  ['scalar', (l, rng) => edit(l, rng, (s) => replaceValue(s, value(rng)))],
  ['key', (l, rng) => edit(l, rng, (s) => replaceKey(s, rng() < 0.6 ? pick(rng, PROTOTYPE_NAMES) : pick(rng, ['kind', 'apiVersion', 'metadata', 'spec', 'labels', 'podSelector', 'matchLabels', 'ingress', 'egress', 'from', 'to', 'ports', 'port', 'items', 'name', 'namespace'])))],
  ['map-for-list', (l, rng) => edit(l, rng, (s) => mapForList(s, rng))],
  ['anchor-alias', (l, rng) => anchorAlias(l, rng)],
  ['tag', (l, rng) => edit(l, rng, (s) => replaceValue(s, `${pick(rng, TAGS)} ${valueOf(s) ?? 'x'}`))],
  ['crlf', (l, rng) => (rng() < 0.5 ? l.join('\r\n') : l.map((s) => (rng() < 0.3 ? `${s}\r` : s)).join('\n'))],
  ['bom', (l, rng) => (rng() < 0.7 ? `\ufeff${l.join('\n')}` : insertAt(l, int(rng, l.length), '\ufeff'))],
  ['tabs', (l, rng) => edit(l, rng, (s) => (rng() < 0.5 ? s.replace(/^ +/, '\t') : s.replace(': ', ':\t')))],
  ['duplicate-key', (l, rng) => duplicateKey(l, rng)],
  ['markers', (l, rng) => insertAt(l, int(rng, l.length + 1), pick(rng, ['---', '...', '--- |', '---\n---', '%YAML 1.2\n---', '--- !!map']))],
  ['deep', (l, rng) => edit(l, rng, (s) => replaceValue(s, deep(rng)))],
  ['junk', (l, rng) => junk(l, rng)],
  ['crossover', (l, rng, other) => {
    const o = other();
    const from = int(rng, o.length);
    return [...l.slice(0, int(rng, l.length + 1)), ...o.slice(from, from + 1 + int(rng, 20)), ...l.slice(int(rng, l.length + 1))];
  }],
  ['kind', (l, rng) => l.map((s) => (/^\s*kind:/.test(s) && rng() < 0.7 ? s.replace(/kind:.*/, `kind: ${rng() < 0.4 ? pick(rng, PROTOTYPE_NAMES) : pick(rng, KINDS)}`) : s))],
  ['number', (l, rng) => l.map((s) => s.replace(/\b\d{1,5}\b/, (d) => (rng() < 0.3 ? pick(rng, ['0', '-1', '65536', '1.5', '0x50', '1e3', '99999999999', '-0', `"${d}"`]) : d)))],
  ['many-documents', (l, rng) => Array.from({ length: 2 + int(rng, 50) }, () => l.join('\n')).join('\n---\n')],
  ['long-line', (l, rng) => insertAt(l, int(rng, l.length + 1), `${pick(rng, ['x: ', '- ', '  a: ', '# '])}${huge(rng)}`)],
];

export const MUTATIONS: readonly string[] = OPS.map(([name]) => name);

/** Applies 1 to 4 random operations; returns the text and the operations' names. */
export function mutate(text: string, rng: Rng, other: () => string): { text: string; ops: string[] } {
  let current = text;
  const ops: string[] = [];
  const n = 1 + int(rng, 4);
  for (let i = 0; i < n; i++) {
    const [name, op] = pick(rng, OPS);
    const out = op(current.split('\n'), rng, () => other().split('\n'));
    current = typeof out === 'string' ? out : out.join('\n');
    ops.push(name);
    // Keep inputs of a useful size (the fuzzer is about shapes, not volume).
    if (current.length > 400_000) current = current.slice(0, 400_000);
  }
  return { text: current, ops };
}

function remove(l: string[], i: number): string[] {
  return [...l.slice(0, i), ...l.slice(i + 1)];
}

function insertAt(l: string[], i: number, line: string): string[] {
  return [...l.slice(0, i), line, ...l.slice(i)];
}

function swap(l: string[], i: number, j: number): string[] {
  const out = [...l];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

/** Edits a random line that has content (or a random line when none has). */
function edit(l: string[], rng: Rng, f: (s: string) => string): string[] {
  const candidates = l.map((s, i) => (s.trim() && !s.trim().startsWith('#') ? i : -1)).filter((i) => i >= 0);
  const i = candidates.length > 0 ? pick(rng, candidates) : int(rng, l.length);
  const out = [...l];
  out[i] = f(out[i] ?? '');
  return out;
}

function valueOf(s: string): string | undefined {
  return (KEY_VALUE.exec(s) ?? ITEM.exec(s))?.[2];
}

function replaceValue(s: string, v: string): string {
  const m = KEY_VALUE.exec(s) ?? ITEM.exec(s);
  if (m) return m[1] + v;
  return /:\s*$/.test(s) ? `${s} ${v}` : `${s}: ${v}`;
}

function replaceKey(s: string, k: string): string {
  const m = KEY.exec(s);
  return m ? `${m[1]}${k}${m[3]}` : `${s.match(/^\s*/)![0]}${k}: x`;
}

function mapForList(s: string, rng: Rng): string {
  const kv = KEY_VALUE.exec(s);
  if (kv) {
    const v = kv[2];
    return rng() < 0.5 ? `${kv[1]}[${v}]` : `${kv[1]}{${v}: ${v}}`;
  }
  const item = ITEM.exec(s);
  if (item) return `${item[1].replace(/- +$/, '')}${item[2].includes(':') ? item[2] : `${item[2]}: x`}`;
  if (/:\s*$/.test(s)) return `${s} ${pick(rng, ['[]', '{}', '[{}]', '- x'])}`;
  return s;
}

function anchorAlias(l: string[], rng: Rng): string[] {
  const name = rng() < 0.3 ? pick(rng, PROTOTYPE_NAMES) : `a${int(rng, 3)}`;
  let out = edit(l, rng, (s) => (/:\s*$/.test(s) ? `${s} &${name}` : (KEY_VALUE.exec(s) ? replaceValue(s, `&${name} ${valueOf(s)}`) : s)));
  const aliases = 1 + int(rng, rng() < 0.1 ? 300 : 3);
  for (let k = 0; k < aliases; k++) out = edit(out, rng, (s) => replaceValue(s, `*${name}`));
  return out;
}

function duplicateKey(l: string[], rng: Rng): string[] {
  const keyed = l.map((s, i) => (KEY.test(s) ? i : -1)).filter((i) => i >= 0);
  if (keyed.length === 0) return l;
  const i = pick(rng, keyed);
  const m = KEY.exec(l[i])!;
  const indent = m[1].replace(/-/g, ' ');
  return insertAt(l, i + 1, `${indent}${m[2]}: ${value(rng)}`);
}

function deep(rng: Rng): string {
  const depth = pick(rng, [20, 90, 99, 100, 101, 150, 1000]);
  const open = rng() < 0.5 ? '[' : '{a: ';
  const close = open === '[' ? ']' : '}';
  return open.repeat(depth) + (rng() < 0.8 ? close.repeat(depth) : '');
}

function junk(l: string[], rng: Rng): string {
  const text = l.join('\n');
  const at = int(rng, text.length + 1);
  return text.slice(0, at) + pick(rng, JUNK).repeat(1 + int(rng, rng() < 0.1 ? 500 : 3)) + text.slice(at);
}
