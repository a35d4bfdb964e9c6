/**
 * Code lenses (core/lens): one line above each NetworkPolicy (what it selects, admits
 * and allows) and each workload (how many sources reach it — `netpol reach`'s count —
 * and whether it is isolated), with the target the client's explain command gets.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../../server/src/core/analysis/analyze';
import { formatConnlist } from '../../../../server/src/core/ide/formats/connlist';
import { codeLenses } from '../../../../server/src/core/ide/lenses';
import { allConnections } from '../../../../server/src/core/reach/connections';
import { docs, yaml } from '../../helpers/manifests';
import { workspaceFiles } from '../hover/fixture';

const files = workspaceFiles();
const texts = new Map(files.map((f) => [f.path, f.text]));
const analysis = analyze(files);

/** Lenses of a file as `line: title -> kind id` (1-based line of the object start). */
function lenses(file: string, a = analysis, t = texts): string[] {
  const uri = `file:///ws/${file}`;
  const text = t.get(uri) ?? '';
  return codeLenses(a, uri).map((l) => {
    assert.equal(l.span.start, l.span.end, 'a lens is a point');
    return `${text.slice(0, l.span.start).split('\n').length}: ${l.title} -> ${l.target.kind} ${l.target.id}`;
  });
}

describe('code lenses', () => {
  test('policies: selected workloads, admitted sources, ports; egress destinations; default deny', () => {
    assert.deepEqual(lenses('shop/policies.yaml'), [
      '1: selects 3 workloads · denies all ingress -> policy shop/default-deny',
      '10: selects 1 workload · admits 1 source · 1 port -> policy shop/frontend-from-ingress',
      '25: selects 1 workload · admits 2 sources · 2 ports -> policy shop/backend-allow',
      '42: selects 1 workload · admits 1 source · 2 ports · allows 2 destinations · 1 port -> policy shop/db-allow',
    ]);
    assert.deepEqual(lenses('shop/egress.yaml'), ['1: selects 1 workload · allows 2 destinations · 2 ports -> policy shop/backend-egress']);
  });

  test('workloads: sources and isolation, one lens per workload document, none on Services', () => {
    assert.deepEqual(lenses('shop/backend.yaml'), [
      '1: reachable from 2 · ingress isolated · egress isolated -> workload shop/backend',
      '19: reachable from 1 · ingress isolated · egress isolated -> workload shop/db',
    ]);
    assert.deepEqual(lenses('kube-system/coredns.yaml'), ['1: reachable from 4 · ingress open · egress open -> workload kube-system/coredns']);
    assert.deepEqual(lenses('shop/ingress.yaml'), []);
    assert.deepEqual(lenses('namespaces.yaml'), []);
  });

  test("a workload's count is the number of `netpol reach` lines into it", () => {
    const lines = formatConnlist(allConnections(analysis.reach), 'text').split('\n');
    for (const w of analysis.model.workloads) {
      const lens = codeLenses(analysis, w.sources[0].span.file).find((l) => l.target.kind === 'workload' && l.target.id === `${w.namespace}/${w.name}`);
      const into = lines.filter((l) => l.includes(` => ${w.namespace}/${w.name}[${w.kind}] : `)).length;
      assert.match(lens?.title ?? '', new RegExp(`^reachable from ${into} · `), `${w.namespace}/${w.name}`);
    }
  });

  test('rejected policies, all peers and all ports, named ports, and ids made unambiguous with the kind', () => {
    const uri = 'file:///ws/odd.yaml';
    const text = docs(
      yaml`
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]}
      `,
      yaml`
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web, namespace: shop}
        spec:
          selector: {matchLabels: {app: web-db}}
          template:
            metadata: {labels: {app: web-db}}
            spec: {containers: [{name: c, image: i}]}
      `,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: open, namespace: shop}
        spec:
          podSelector: {matchLabels: {app: web}}
          policyTypes: [Ingress, Egress]
          ingress:
            - {}
          egress:
            - ports: [{port: http}, {protocol: UDP}]
      `,
      yaml`
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: bad, namespace: shop}
        spec:
          podSelector: {}
          ingress:
            - from: [{}]
      `,
    );
    const a = analyze([{ path: uri, text }]);
    assert.deepEqual(lenses('odd.yaml', a, new Map([[uri, text]])), [
      '1: reachable from 2 · ingress isolated · egress isolated -> workload shop/web[Deployment]',
      '10: reachable from 2 · ingress open · egress open -> workload shop/web[StatefulSet]',
      '19: selects 1 workload · admits all sources · all ports · allows all destinations · all UDP ports + 1 port -> policy shop/open',
      '30: rejected by the API server: not applied -> policy shop/bad',
    ]);
  });
});
