import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chartTemplates, isHelmTemplate } from '../../../server/src/core/manifest/detect';
import { analyze } from '../../../server/src/core/analysis/analyze';
import { runRules } from '../../../server/src/core/rules/run';
import { yaml } from '../../helpers/manifests';

// An alerting rule as operator bundles ship them (kube-prometheus *-prometheusRule.yaml):
// Prometheus templates inside quoted strings.
const prometheusRule = yaml`
  apiVersion: monitoring.coreos.com/v1
  kind: PrometheusRule
  metadata:
    name: node-exporter-rules
    namespace: monitoring
  spec:
    groups:
    - name: node-exporter
      rules:
      - alert: NodeFilesystemSpaceFillingUp
        annotations:
          description: 'Filesystem on {{ $labels.device }}, mounted on {{ $labels.mountpoint }}, at {{ $labels.instance }} has only {{ printf "%.2f" $value }}% available space left.'
          summary: "Filesystem is predicted to run out of space within the next 24 hours on {{ $labels.instance }}."
        expr: node_filesystem_avail_bytes{job="node-exporter",fstype!=""} / node_filesystem_size_bytes < 0.15
`;

const policy = yaml`
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny, namespace: monitoring}
  spec: {podSelector: {}, policyTypes: [Ingress]}
`;

// A dashboard's JSON in a block string (grafana-dashboardDefinitions.yaml) and a Go
// template that is data (istio's sidecar injector ConfigMap uses Helm's own words).
const dashboards = yaml`
  apiVersion: v1
  kind: ConfigMap
  metadata: {name: grafana-dashboard-nodes, namespace: monitoring}
  data:
    nodes.json: |-
      {"targets": [{"expr": "rate(node_cpu_seconds_total[5m])", "legendFormat": "{{cpu}}"}]}
    injector: |
      {{- if .Values.global.proxy.enabled }}
      image: {{ .Values.global.hub }}/proxyv2
      {{- end }}
`;

describe('Helm templates and plain YAML with templates in strings', () => {
  test('templates inside quoted or block strings are text: the file is analysed with its policy', () => {
    for (const text of [prometheusRule, dashboards]) {
      assert.equal(isHelmTemplate(`${text}---\n${policy}`), false, text);
      const { files, model } = analyze([{ path: 'monitoring.yaml', text: `${text}---\n${policy}` }]);
      assert.equal(files[0].objects.length, 2);
      assert.equal(model.policies.length, 1);
    }
  });

  test('a quoted string over several lines is still a string (kserve inferenceservice-config)', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  _example: "#####\\n#\n    \\   host: \\"{{ .Name }}-{{ .Namespace }}.{{ .IngressDomain }}\\",\\n\n    # Name ( {{ .Name}} )\\n"\n';
    assert.equal(isHelmTemplate(text), false);
    assert.equal(analyze([{ path: 'c.yaml', text }]).files[0].objects.length, 1);
  });

  test("Helm's syntax makes a file a Helm template", () => {
    const cases = [
      'metadata:\n  name: x\n{{- if .Values.networkPolicy.enabled }}\nspec: {}\n{{- end }}\n',
      'spec:\n  image: repo/app:{{ .Values.image.tag }}\n',
      'metadata:\n  name: "{{ .Release.Name }}-db"\n',
      "metadata:\n  labels:\n    {{- include \"app.labels\" . | nindent 4 }}\n",
      'metadata:\n  name: {{ template "app.fullname" . }}\n',
      '- {{ $x }}\n',
      'data:\n  conf: {{ toYaml .Values.conf | quote }}\n',
      'metadata: {name: [\n\u0000\u0001 {{ junk',
    ];
    for (const text of cases) assert.equal(isHelmTemplate(text), true, text);
  });

  test('the chart layout makes a file under templates/ a Helm template, whatever it holds', () => {
    const paths = ['chart/Chart.yaml', 'chart/templates/np.yaml', 'chart/templates/sub/x.yaml', 'other/templates/y.yaml', 'app/values.yaml', 'app/templates/z.yaml'];
    assert.deepEqual([...chartTemplates(paths)].sort(), ['app/templates/z.yaml', 'chart/templates/np.yaml', 'chart/templates/sub/x.yaml']);
    assert.deepEqual([...chartTemplates(['C:\\c\\Chart.yaml', 'C:\\c\\templates\\a.yaml'])], ['C:\\c\\templates\\a.yaml']);
    const text = `${prometheusRule}---\n${policy}`;
    const inChart = analyze([{ path: 'chart/Chart.yaml', text: 'apiVersion: v2\nname: chart\nversion: 1.0.0\n' }, { path: 'chart/templates/rules.yaml', text }]);
    assert.equal(inChart.model.policies.length, 0);
    assert.match(inChart.model.notes.find((n) => n.code === 'helm-template-skipped')?.message ?? '', /under templates\/ of a chart/);
    assert.equal(analyze([{ path: 'other/templates/rules.yaml', text }]).model.policies.length, 1);
  });

  test('a value written as a template expression is not judged as a literal', () => {
    const text = yaml`
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata:
        name: "{{ name }}-db"
        namespace: shop
      spec:
        podSelector: {matchLabels: {app: "{{ app }}"}}
    `;
    assert.equal(isHelmTemplate(text), false);
    const analysis = analyze([{ path: 'np.yaml', text }]);
    assert.deepEqual(runRules(analysis).filter((f) => f.severity === 'error'), []);
    assert.deepEqual(analysis.model.policies[0].rejected, []);
  });
});

describe('helm-template-skipped', () => {
  test('every skipped file is an info finding on its first line', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {{ include "app.fullname" . }}\n';
    const findings = runRules(analyze([{ path: 'np.yaml', text }]));
    assert.deepEqual(findings.map((f) => [f.rule, f.severity, text.slice(f.span.start, f.span.end)]), [['helm-template-skipped', 'info', 'apiVersion: networking.k8s.io/v1']]);
  });
});
