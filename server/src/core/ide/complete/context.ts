import type { Model } from '../../model/types';
import { NETWORK_POLICY, type Shape, type StructShape } from '../../k8s/schema';
import { codeSpan } from '../../base/escape';
import { FIELD_DOCS, METADATA_FIELDS, OPERATORS, POLICY_TYPES, PROTOCOLS, type KeywordDoc } from '../../k8s/field-docs';
import { child, pathOf, scalarText, type CursorSite, type OMap, type ONode, type OSeq } from '../../yaml/outline';
import {
  matchingWorkloads,
  namespaceLabels,
  namespacesMatching,
  outlineSelector,
  peerWorkloads,
  podLabels,
  podSelectorScope,
  portsOf,
  workloadsIn,
  type LabelTable,
  type PortFact,
} from './scope';
import { own } from '../../base/own';
import { clusterKindOf } from '../../k8s/cluster-schema';
import { clusterEnum, clusterRootShape } from './cluster-shapes';
import type { CompletionItem } from './item';

/**
 * The items at one cursor site of a NetworkPolicy's outline: the fields a mapping may
 * have there (schema and docs), the values a key takes (enumerations, namespaces, label
 * keys and values of the pods or namespaces a selector is about, named ports of the pods
 * a rule's ports apply to), quoted as YAML reads them.
 */

export function sortKey(group: number, index: number): string {
  return `${group}${String(index).padStart(4, '0')}`;
}

/** The shape at a path of keys ('[]' for a list item) from the top of a NetworkPolicy. */
function shapeAt(path: readonly string[], root: Shape = NETWORK_POLICY): Shape | undefined {
  let s: Shape | undefined = root;
  for (const seg of path) {
    if (!s) return undefined;
    if (s.kind === 'struct') s = own(s.fields, seg);
    else if (s.kind === 'list') s = seg === '[]' ? s.of : undefined;
    else return undefined;
  }
  return s;
}

/** Label values and keys must be strings: quote what YAML would read as something else. */
const NOT_A_STRING = /^(?:~|null|true|false|yes|no|on|off|y|n|[-+]?(?:\d[\d_]*(?:\.\d*)?(?:e[-+]?\d+)?|\.\d+|0x[\da-f]+|0o[0-7]+|\.inf|\.nan))$/i;

function yamlString(value: string, quote: string | undefined): string {
  if (quote === "'") return `'${value.replace(/'/g, "''")}'`;
  if (quote === '"' || value === '' || NOT_A_STRING.test(value) || /^[\s\-?:,[\]{}#&*!|>'"%@`]|[\s]$|: | #/.test(value)) return JSON.stringify(value);
  return value;
}

/** How a key is being typed. */
interface KeyAt {
  /** Column of the key (-1 in a flow mapping). */
  readonly col: number;
  /** A colon follows already: the name only. */
  readonly keyOnly: boolean;
  readonly flow: boolean;
  /** `-|`: a space goes first. */
  readonly leadingSpace: boolean;
  /** The first key of a new sequence item (after its dash). */
  readonly newItem: boolean;
}

export class Context {
  private readonly path: string[];
  private readonly nodes: (OMap | OSeq)[];
  private readonly policyNamespace: string;
  private readonly isPolicy: boolean;
  /** The shape at the top of the document: a NetworkPolicy's, or a cluster-level policy's. */
  private readonly rootShape: Shape;
  private readonly isCluster: boolean;

  constructor(
    private readonly root: OMap,
    private readonly site: CursorSite,
    private readonly unit: number,
    private readonly model: Model,
    private readonly base: number,
    /** The document's text (offsets of the outline and the site are into it). */
    private readonly text: string,
  ) {
    const at = pathOf(site.kind === 'item' ? site.seq : site.map);
    this.path = at.path;
    this.nodes = at.nodes;
    this.policyNamespace = scalarText(child(child(root, 'metadata'), 'namespace')) ?? model.defaultNamespace;
    const kind = scalarText(child(root, 'kind', true));
    const apiVersion = scalarText(child(root, 'apiVersion', true));
    const clusterKind = kind !== undefined && apiVersion !== undefined ? clusterKindOf(apiVersion, kind) : undefined;
    this.isCluster = clusterKind !== undefined;
    this.rootShape = clusterKind ? clusterRootShape(clusterKind) : NETWORK_POLICY;
    this.isPolicy = this.isCluster || kind === 'NetworkPolicy' || (kind === undefined && apiVersion?.startsWith('networking.k8s.io/') === true);
  }

  items(): CompletionItem[] {
    const site = this.site;
    if (!this.isPolicy) return this.path.length === 0 && site.kind === 'value' ? this.headerValue(site.key) : [];
    if (site.kind === 'key') return this.keyItems(site.map, { col: site.col, keyOnly: site.keyOnly, flow: site.flow, leadingSpace: false, newItem: false });
    if (site.kind === 'item') return this.itemItems(site);
    return this.valueItems(site.map, site.key);
  }

  // ---------------------------------------------------------------------------------------
  // Keys

  /** Keys for `map` at this.path: the fields of its struct, or label keys in a matchLabels. */
  private keyItems(map: OMap | undefined, at: KeyAt, path = this.path): CompletionItem[] {
    const { keyOnly, leadingSpace } = at;
    const shape = shapeAt(path, this.rootShape);
    if (!shape) return [];
    const present = new Set((map?.entries ?? []).filter((e) => !e.atCursor).map((e) => e.key));
    if (shape.kind === 'struct') return this.fieldItems(shape, present, at);
    // The label tables read a NetworkPolicy's scopes (its namespace, its peers): not a cluster policy's.
    if (shape.kind === 'stringMap' && path[path.length - 1] === 'matchLabels' && !this.isCluster) {
      const labels = this.labelTable(path);
      if (!labels) return [];
      const out: CompletionItem[] = [];
      const keys = [...labels.table.keys()].filter((k) => !present.has(k));
      keys.sort((a, b) => carriers(labels.table, b) - carriers(labels.table, a) || a.localeCompare(b));
      keys.forEach((key, i) => {
        const values = labels.table.get(key)!;
        const quoted = yamlString(key, undefined);
        out.push(
          this.item({
            label: key,
            kind: 'value',
            detail: `${labels.what} label · ${values.size} value${values.size === 1 ? '' : 's'}`,
            documentation: labelKeyDoc(key, values, labels.what, labels.description),
            insertText: (leadingSpace ? ' ' : '') + (keyOnly ? quoted : `${quoted}: `),
            sortText: sortKey(1, i),
            retrigger: !keyOnly,
          }),
        );
      });
      return out;
    }
    return [];
  }

  private fieldItems(shape: StructShape, present: ReadonlySet<string>, at: KeyAt): CompletionItem[] {
    const { col, keyOnly, flow, leadingSpace, newItem } = at;
    const docs = FIELD_DOCS[shape.type] ?? {};
    const out: CompletionItem[] = [];
    let names = Object.keys(shape.fields);
    if (shape.type === 'ObjectMeta') names = [...METADATA_FIELDS];
    if (shape.type === 'NetworkPolicy' || shape === this.rootShape) names = names.filter((n) => n !== 'status');
    names.forEach((name, i) => {
      if (present.has(name)) return;
      const field = shape.fields[name];
      const doc = docs[name];
      const ins = keyOnly ? { text: name, multiline: false, retrigger: false, snippet: false } : flow || col < 0 ? { text: `${name}: `, multiline: false, retrigger: this.hasValues(shape.type, name), snippet: false } : this.fieldInsert(shape.type, name, field, col);
      let documentation = doc?.doc;
      if (shape.type === 'NetworkPolicyPeer' && newItem) documentation = [documentation, this.peerPitfall(name)].filter(Boolean).join('\n\n');
      if (shape.type === 'NetworkPolicyPeer' && !newItem && (name === 'podSelector' || name === 'namespaceSelector') && present.has(name === 'podSelector' ? 'namespaceSelector' : 'podSelector')) {
        documentation = `${documentation ?? ''}\n\nHere, in the same item as the \`${name === 'podSelector' ? 'namespaceSelector' : 'podSelector'}\`: **both must match** (AND).`;
      }
      out.push(
        this.item({
          label: name,
          kind: 'field',
          detail: doc?.detail,
          documentation,
          insertText: (leadingSpace ? ' ' : '') + ins.text,
          format: ins.snippet ? 'snippet' : 'plain',
          sortText: sortKey(0, i),
          multiline: ins.multiline,
          retrigger: ins.retrigger,
        }),
      );
    });
    return out;
  }

  /** The insertion of a field at column `col`: `key: ` for a scalar, `key:` and the next line indented for a mapping or a list. */
  private fieldInsert(type: string, name: string, field: Shape, col: number): { text: string; multiline: boolean; retrigger: boolean; snippet: boolean } {
    const pad = ' '.repeat(col + this.unit);
    if (field.kind === 'struct' || field.kind === 'stringMap') {
      const retrigger = field.kind === 'struct' || name === 'matchLabels';
      return { text: `${name}:\n${pad}`, multiline: true, retrigger, snippet: false };
    }
    if (field.kind === 'list') {
      if (type === 'NetworkPolicySpec' && name === 'policyTypes') return { text: `${name}:\n${pad}- \${1|Ingress,Egress|}$0`, multiline: true, retrigger: false, snippet: true };
      if (field.of.kind === 'struct') return { text: `${name}:\n${pad}- `, multiline: true, retrigger: true, snippet: false };
      return { text: `${name}:\n${pad}- `, multiline: true, retrigger: type === 'LabelSelectorRequirement', snippet: false };
    }
    return { text: `${name}: `, multiline: false, retrigger: this.hasValues(type, name), snippet: false };
  }

  /** Whether a value of this field has completions. */
  private hasValues(type: string, name: string): boolean {
    if (this.isCluster) return clusterEnum(type, name) !== undefined;
    const key = `${type}.${name}`;
    return ['NetworkPolicy.apiVersion', 'NetworkPolicy.kind', 'ObjectMeta.namespace', 'NetworkPolicyPort.protocol', 'NetworkPolicyPort.port', 'LabelSelectorRequirement.key', 'LabelSelectorRequirement.operator', 'NetworkPolicySpec.podSelector', 'NetworkPolicyPeer.podSelector', 'NetworkPolicyPeer.namespaceSelector'].includes(key);
  }

  /** A note for a selector started as a new from/to item while a sibling item has the other selector alone. */
  private peerPitfall(name: string): string | undefined {
    if (name !== 'podSelector' && name !== 'namespaceSelector') return undefined;
    const other = name === 'podSelector' ? 'namespaceSelector' : 'podSelector';
    const seq = this.site.kind === 'item' ? this.site.seq : undefined;
    const lonely = seq?.items.some((it) => !it.atCursor && it.value?.kind === 'map' && it.value.entries.some((e) => e.key === other) && !it.value.entries.some((e) => e.key === name));
    if (!lonely) return undefined;
    return `**Note:** this dash starts a new peer, ORed with the \`${other}\` item above. To allow only pods matching both, write \`${name}\` in that item (same indentation as \`${other}\`, no dash).`;
  }

  /** After `- ` in a list: a scalar item (policy types, values), or the first key of a mapping item. */
  private itemItems(site: Extract<CursorSite, { kind: 'item' }>): CompletionItem[] {
    const shape = shapeAt(this.path, this.rootShape);
    if (shape?.kind !== 'list') return [];
    if (shape.of.kind === 'struct') {
      const map = site.item.value?.kind === 'map' ? site.item.value : undefined;
      return this.keyItems(map, { col: site.flow ? -1 : site.col, keyOnly: false, flow: site.flow, leadingSpace: site.leadingSpace, newItem: true }, [...this.path, '[]']);
    }
    if (this.isCluster) return [];
    const last = this.path[this.path.length - 1];
    const seq = site.seq;
    const present = new Set(seq.items.filter((i) => !i.atCursor && i.value?.kind === 'scalar').map((i) => (i.value as { text: string }).text));
    const prefix = site.leadingSpace ? ' ' : '';
    if (this.path.length === 2 && this.path[0] === 'spec' && last === 'policyTypes') return this.keywords(POLICY_TYPES.filter((t) => !present.has(t.value)), prefix);
    if (last === 'values' && this.path[this.path.length - 3] === 'matchExpressions') {
      const req = this.nodes[this.nodes.length - 2];
      const key = scalarText(child(req, 'key'));
      if (key === undefined) return [];
      return this.labelValueItems(this.path, key, present, prefix);
    }
    return [];
  }

  // ---------------------------------------------------------------------------------------
  // Values

  private valueItems(map: OMap, key: string): CompletionItem[] {
    const shape = shapeAt(this.path, this.rootShape);
    const prefix = this.site.kind === 'value' && this.site.leadingSpace ? ' ' : '';
    if (!shape) return [];
    if (this.isCluster) {
      const values = shape.kind === 'struct' ? clusterEnum(shape.type, key) : undefined;
      return values ? this.keywords(values, prefix) : [];
    }
    if (shape.kind === 'stringMap') {
      return this.path[this.path.length - 1] === 'matchLabels' ? this.labelValueItems(this.path, key, new Set(), prefix) : [];
    }
    if (shape.kind !== 'struct') return [];
    const field = `${shape.type}.${key}`;
    switch (field) {
      case 'NetworkPolicy.apiVersion':
      case 'NetworkPolicy.kind':
        return this.headerValue(key);
      case 'ObjectMeta.namespace':
        return this.namespaceItems(prefix);
      case 'NetworkPolicyPort.protocol':
        return this.keywords(PROTOCOLS, prefix);
      case 'NetworkPolicyPort.port':
        return this.portItems(map, prefix);
      case 'LabelSelectorRequirement.operator':
        return this.keywords(OPERATORS, prefix);
      case 'LabelSelectorRequirement.key': {
        const labels = this.labelTable(this.path);
        if (!labels) return [];
        const keys = [...labels.table.keys()].sort((a, b) => carriers(labels.table, b) - carriers(labels.table, a) || a.localeCompare(b));
        return keys.map((k, i) =>
          this.item({
            label: k,
            kind: 'value',
            detail: `${labels.what} label · ${labels.table.get(k)!.size} value${labels.table.get(k)!.size === 1 ? '' : 's'}`,
            documentation: labelKeyDoc(k, labels.table.get(k)!, labels.what, labels.description),
            insertText: prefix + yamlString(k, this.quote()),
            sortText: sortKey(1, i),
            filterText: this.quote() ? yamlString(k, this.quote()) : undefined,
          }),
        );
      }
      case 'NetworkPolicySpec.podSelector':
      case 'NetworkPolicyPeer.podSelector':
      case 'NetworkPolicyPeer.namespaceSelector': {
        const what = key === 'namespaceSelector' ? 'every namespace' : field === 'NetworkPolicyPeer.podSelector' ? 'every pod (of the namespaces in scope)' : "every pod of the policy's namespace";
        return [this.item({ label: '{}', kind: 'keyword', detail: 'empty selector', documentation: `The empty selector: matches ${what}.`, insertText: prefix + '{}', sortText: sortKey(0, 0) })];
      }
      case 'NetworkPolicySpec.policyTypes': {
        const choices: KeywordDoc[] = [
          { value: '[Ingress]', detail: 'policy types', doc: 'Isolate for incoming traffic.' },
          { value: '[Egress]', detail: 'policy types', doc: 'Isolate for outgoing traffic.' },
          { value: '[Ingress, Egress]', detail: 'policy types', doc: 'Isolate both ways.' },
        ];
        return this.keywords(choices, prefix);
      }
    }
    return [];
  }

  /** `apiVersion:` and `kind:` at the top of a (maybe not yet) NetworkPolicy. */
  private headerValue(key: string): CompletionItem[] {
    const prefix = this.site.kind === 'value' && this.site.leadingSpace ? ' ' : '';
    const kind = scalarText(child(this.root, 'kind', true));
    const apiVersion = scalarText(child(this.root, 'apiVersion', true));
    if (key === 'apiVersion' && (kind === undefined || kind === 'NetworkPolicy')) {
      return this.keywords([{ value: 'networking.k8s.io/v1', detail: 'NetworkPolicy API', doc: FIELD_DOCS.NetworkPolicy.apiVersion.doc }], prefix);
    }
    if (key === 'kind' && (apiVersion === undefined || apiVersion.startsWith('networking.k8s.io/'))) {
      return this.keywords([{ value: 'NetworkPolicy', detail: 'networking.k8s.io/v1', doc: FIELD_DOCS.NetworkPolicy.kind.doc }], prefix);
    }
    return [];
  }

  private keywords(list: readonly KeywordDoc[], prefix: string): CompletionItem[] {
    const quote = this.quote();
    return list.map((k, i) =>
      this.item({
        label: k.value,
        kind: 'keyword',
        detail: k.detail,
        documentation: k.doc,
        insertText: prefix + (quote ? yamlString(k.value, quote) : k.value),
        filterText: quote ? yamlString(k.value, quote) : undefined,
        sortText: sortKey(0, i),
      }),
    );
  }

  private namespaceItems(prefix: string): CompletionItem[] {
    const nss = [...this.model.namespaces.values()].sort((a, b) => Number(b.declared) - Number(a.declared) || a.name.localeCompare(b.name));
    const quote = this.quote();
    return nss.map((n, i) => {
      const count = this.model.workloads.filter((w) => w.namespace === n.name).length;
      const labels = Object.entries(n.labels).map(([k, v]) => `- ${codeSpan(`${k}: ${v}`)}`);
      return this.item({
        label: n.name,
        kind: 'value',
        detail: `${n.declared ? 'Namespace' : 'namespace (not declared here)'} · ${count} workload${count === 1 ? '' : 's'}`,
        documentation: `Namespace ${codeSpan(n.name)}${n.declared ? '' : ', used by objects of the workspace but not declared in it'}.\n\nLabels:\n${labels.join('\n')}`,
        insertText: prefix + yamlString(n.name, quote),
        filterText: quote ? yamlString(n.name, quote) : undefined,
        sortText: sortKey(n.declared ? 0 : 1, i),
      });
    });
  }

  // ---------------------------------------------------------------------------------------
  // Labels

  /**
   * The labels a selector at `path` is about: namespace labels under a namespaceSelector;
   * pod labels under a podSelector, of the pods in its scope, narrowed by what the rest of
   * the selector already requires (when that leaves any pod).
   */
  private labelTable(path: readonly string[]): { table: LabelTable; what: 'pod' | 'namespace'; description: string } | undefined {
    let j = -1;
    for (let k = path.length - 1; k >= 0; k--) {
      if (path[k] === 'podSelector' || path[k] === 'namespaceSelector') {
        j = k;
        break;
      }
    }
    if (j < 0) return undefined;
    const selectorNode = this.nodes[j + 1] as ONode | undefined;
    const own = outlineSelector(selectorNode);
    if (path[j] === 'namespaceSelector') {
      let nss = namespacesMatching(this.model, undefined);
      if (own?.valid) {
        const narrowed = namespacesMatching(this.model, own);
        if (narrowed.length > 0) nss = narrowed;
      }
      return { table: namespaceLabels(nss), what: 'namespace', description: 'namespaces of the workspace' };
    }
    const peer = j === 1 && path[0] === 'spec' ? undefined : (this.nodes[j] as OMap | undefined);
    const scope = podSelectorScope(this.model, this.policyNamespace, peer?.kind === 'map' ? peer : undefined);
    let workloads = scope.workloads;
    if (own?.valid) {
      const narrowed = matchingWorkloads(workloads, own);
      if (narrowed.length > 0) workloads = narrowed;
    }
    return { table: podLabels(workloads), what: 'pod', description: scope.description };
  }

  private labelValueItems(path: readonly string[], key: string, present: ReadonlySet<string>, prefix: string): CompletionItem[] {
    const labels = this.labelTable(path);
    const values = labels?.table.get(key);
    if (!labels || !values) return [];
    const quote = this.quote();
    const list = [...values.entries()].filter(([v]) => !present.has(v)).sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]));
    return list.map(([value, who], i) => {
      const text = yamlString(value, quote);
      const whoList = [...who].sort();
      return this.item({
        label: value,
        kind: 'value',
        detail: `${key}=${value} · ${who.size} ${labels.what === 'pod' ? 'workload' : 'namespace'}${who.size === 1 ? '' : 's'}`,
        documentation: `Carried by (${labels.description}):\n${whoList.slice(0, 12).map((w) => `- ${codeSpan(w)}`).join('\n')}${whoList.length > 12 ? `\n- … and ${whoList.length - 12} more` : ''}`,
        insertText: prefix + text,
        filterText: quote ? text : undefined,
        sortText: sortKey(1, i),
      });
    });
  }

  // ---------------------------------------------------------------------------------------
  // Ports

  /**
   * Ports for `port:` of a rule's ports item: the container ports of the pods the policy
   * selects (ingress) or of the pods the rule's `to` peers match (egress); when that
   * finds none, those of the policy's namespace, then of the whole workspace. Named ports
   * first. A `protocol:` already in the item keeps only ports of that protocol.
   */
  private portItems(portMap: OMap, prefix: string): CompletionItem[] {
    const direction = this.path[0] === 'spec' ? this.path[1] : undefined;
    if (direction !== 'ingress' && direction !== 'egress') return [];
    const rule = this.nodes[3] as ONode | undefined;
    let source: string;
    let workloads;
    if (direction === 'ingress') {
      const sel = outlineSelector(child(child(this.root, 'spec'), 'podSelector')) ?? { matchLabels: {}, matchExpressions: [], valid: true };
      workloads = matchingWorkloads(workloadsIn(this.model, new Set([this.policyNamespace])), sel);
      source = 'the pods this policy selects';
    } else {
      const to = child(rule, 'to');
      workloads = peerWorkloads(this.model, this.policyNamespace, to);
      source = to?.kind === 'seq' && to.items.length > 0 ? "the pods the rule's `to` peers match" : 'every pod (the rule has no `to`)';
    }
    const protocol = scalarText(child(portMap, 'protocol'));
    const wanted = (p: PortFact) => protocol === undefined || p.protocol === protocol;
    let ports = portsOf(workloads).filter(wanted);
    if (ports.length === 0) {
      ports = portsOf(workloadsIn(this.model, new Set([this.policyNamespace]))).filter(wanted);
      source = `the pods of namespace ${codeSpan(this.policyNamespace)} (${source} declare none)`;
    }
    if (ports.length === 0) {
      ports = portsOf(this.model.workloads).filter(wanted);
      source = 'the pods of the workspace';
    }
    const quote = this.quote();
    const out: CompletionItem[] = [];
    const named = group(ports.filter((p) => p.name !== undefined), (p) => p.name!);
    [...named.keys()].sort().forEach((name, i) => {
      const list = named.get(name)!;
      const numbers = [...new Set(list.map((p) => `${p.protocol} ${p.port}`))];
      const notTcp = protocol === undefined && list.every((p) => p.protocol !== 'TCP') ? list[0].protocol : undefined;
      out.push(
        this.item({
          label: name,
          kind: 'value',
          detail: `named port · ${numbers.join(', ')}`,
          documentation:
            `Container port ${codeSpan(name)}, resolved on each destination pod (from ${source}):\n${list.map((p) => `- ${codeSpan(p.workload)}: ${p.protocol} ${p.port}`).join('\n')}` +
            (notTcp ? `\n\nIt is a ${notTcp} port: add \`protocol: ${notTcp}\` to this item (the default is TCP).` : ''),
          insertText: prefix + yamlString(name, quote),
          filterText: quote ? yamlString(name, quote) : undefined,
          sortText: sortKey(0, i),
        }),
      );
    });
    const numeric = group(ports, (p) => String(p.port));
    [...numeric.keys()].sort((a, b) => Number(a) - Number(b)).forEach((port, i) => {
      const list = numeric.get(port)!;
      const protocols = [...new Set(list.map((p) => p.protocol))];
      const names = [...new Set(list.map((p) => p.name).filter((n): n is string => n !== undefined))];
      out.push(
        this.item({
          label: port,
          kind: 'value',
          detail: `container port · ${protocols.join(', ')}${names.length > 0 ? ` (${names.join(', ')})` : ''}`,
          documentation: `Container port ${port} (from ${source}):\n${list.map((p) => `- ${codeSpan(p.workload)}: ${p.protocol} ${p.port}${p.name ? ` (${codeSpan(p.name)})` : ''}`).join('\n')}`,
          insertText: prefix + port,
          sortText: sortKey(1, i),
        }),
      );
    });
    return out;
  }

  // ---------------------------------------------------------------------------------------

  /** The quote the user typed at the start of the replaced value, if any. */
  private quote(): string | undefined {
    if (this.site.kind === 'key' || this.site.start >= this.site.end) return undefined;
    const first = this.text[this.site.start];
    return first === '"' || first === "'" ? first : undefined;
  }

  private item(p: {
    label: string;
    kind: CompletionItem['kind'];
    detail?: string;
    documentation?: string;
    insertText: string;
    format?: 'plain' | 'snippet';
    sortText: string;
    filterText?: string;
    multiline?: boolean;
    retrigger?: boolean;
  }): CompletionItem {
    const out: CompletionItem = {
      label: p.label,
      kind: p.kind,
      insertText: p.insertText,
      format: p.format ?? 'plain',
      start: this.base + this.site.start,
      end: this.base + this.site.end,
      sortText: p.sortText,
      ...(p.detail !== undefined ? { detail: p.detail } : {}),
      ...(p.documentation !== undefined ? { documentation: p.documentation } : {}),
      ...(p.filterText !== undefined ? { filterText: p.filterText } : {}),
      ...(p.multiline ? { multiline: true } : {}),
      ...(p.retrigger ? { retrigger: true } : {}),
    };
    return out;
  }
}

function carriers(t: LabelTable, key: string): number {
  let n = 0;
  for (const who of t.get(key)!.values()) n += who.size;
  return n;
}

function labelKeyDoc(key: string, values: ReadonlyMap<string, ReadonlySet<string>>, what: 'pod' | 'namespace', description: string): string {
  const rows = [...values.entries()].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]));
  const lines = rows.slice(0, 10).map(([v, who]) => `- ${codeSpan(`${key}: ${v}`)}: ${[...who].sort().slice(0, 4).map(codeSpan).join(', ')}${who.size > 4 ? ` and ${who.size - 4} more` : ''}`);
  const more = rows.length > 10 ? `\n- … and ${rows.length - 10} more values` : '';
  const auto = key === 'kubernetes.io/metadata.name' && what === 'namespace' ? '\n\nSet by the API server on every namespace to its name: the reliable way to select a namespace by name.' : '';
  return `${what === 'pod' ? 'Pod' : 'Namespace'} label ${codeSpan(key)} (${description}):\n${lines.join('\n')}${more}${auto}`;
}

function group<T>(list: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const k = key(x);
    const l = out.get(k);
    if (l) l.push(x);
    else out.set(k, [x]);
  }
  return out;
}
