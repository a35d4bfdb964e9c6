import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeConfig, parseConfigFile } from '../../../server/src/core/analysis/config-file';
import { DEFAULTS } from '../../../server/src/core/analysis/config';
import { RULES } from '../../../server/src/core/catalog';
import { readSettings } from '../../../server/src/lsp/settings';

const known = (id: string) => RULES.some((r) => r.meta.id === id);

describe('.netpol.yaml', () => {
  test('every setting it knows, read as NetpolConfig; only what it sets', () => {
    const { config, problems } = parseConfigFile(
      'defaultNamespace: boutique\nenvironmentLabel: env\ningressController: {namespace: traefik, labels: {app: traefik}}\ndns: {namespace: dns, labels: {k8s-app: coredns}}\nrequireEgress: true\nhostNetwork: pod\ncni: cilium\nrules: {allow-all-peers: "off", missing-namespace: off, rule-without-ports: false, and-or-pitfall: info}\nexclude: ["charts/**"]\n',
      known,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(JSON.parse(JSON.stringify(config)), {
      defaultNamespace: 'boutique',
      environmentLabel: 'env',
      ingressController: { namespace: 'traefik', labels: { app: 'traefik' } },
      dns: { namespace: 'dns', labels: { 'k8s-app': 'coredns' } },
      requireEgress: true,
      hostNetwork: 'pod',
      cni: 'cilium',
      rules: { 'allow-all-peers': 'off', 'missing-namespace': 'off', 'rule-without-ports': 'off', 'and-or-pitfall': 'info' },
      exclude: ['charts/**'],
    });
    assert.deepEqual(parseConfigFile('', known), { config: {}, problems: [] });
    assert.deepEqual(parseConfigFile('# nothing yet\n', known), { config: {}, problems: [] });
  });

  test('bad input is a problem with a range, never a throw: broken YAML, a list, unknown keys, hostile keys, an alias bomb', () => {
    const broken = parseConfigFile('rules: {allow-all-peers: info\n', known);
    assert.equal(broken.problems.length, 1);
    assert.match(broken.problems[0].message, /not valid YAML/);
    assert.match(parseConfigFile('- a\n- b\n', known).problems[0].message, /must be a mapping/);
    const unknown = parseConfigFile('colour: blue\nconstructor: 1\n__proto__: {a: 1}\nrules: {constructor: info}\n', known);
    assert.deepEqual(unknown.problems.map((p) => p.message.slice(0, 28)), ['Unknown setting "colour" in ', 'Unknown setting "constructor', 'Unknown setting "__proto__" ', 'Unknown rule id "constructor']);
    assert.deepEqual(unknown.problems[0], { message: unknown.problems[0].message, start: 0, end: 6 });
    const bomb = 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nexclude: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    assert.ok(parseConfigFile(bomb, known).problems.length > 0);
    assert.ok(parseConfigFile('x'.repeat(300 * 1024), known).problems[0].message.includes('larger than'));
    const cni = parseConfigFile('cni: flannel\n', known);
    assert.deepEqual(cni.config, {});
    assert.match(cni.problems[0].message, /^cni must be one of default, calico, cilium, .*: ignored, the default profile applies\.$/);
  });

  test('editor settings win where they differ from the default; rules merge per rule; excludes add up', () => {
    const file = parseConfigFile('defaultNamespace: boutique\nenvironmentLabel: env\nrules: {allow-all-peers: "off", and-or-pitfall: info}\nexclude: [charts/**]\n', known).config;
    const settings = readSettings({ environmentLabel: 'stage', rules: { 'and-or-pitfall': 'warning' }, exclude: ['tmp/**'] });
    const merged = mergeConfig(file, settings);
    assert.equal(merged.defaultNamespace, 'boutique', 'a setting left at its default does not override the file');
    assert.equal(merged.environmentLabel, 'stage', 'a setting the user changed wins');
    assert.deepEqual({ ...merged.rules }, { 'allow-all-peers': 'off', 'and-or-pitfall': 'warning' });
    assert.deepEqual(merged.exclude, ['charts/**', 'tmp/**']);
    assert.deepEqual(JSON.parse(JSON.stringify(mergeConfig({}, DEFAULTS))), JSON.parse(JSON.stringify(DEFAULTS)));
  });
});
