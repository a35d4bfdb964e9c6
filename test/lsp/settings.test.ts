/**
 * The settings contract: package.json's schema (what VS Code shows and validates), the
 * core's DEFAULTS and the server's reading of the `netpol` section say the same.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULTS } from '../../server/src/core';
import { readSettings } from '../../server/src/lsp/settings';
import { ROOT } from '../helpers/paths';

interface SchemaProperty {
  readonly default?: unknown;
  readonly scope?: string;
}

const schema = (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, SchemaProperty> } } }).contributes.configuration.properties;

/** The setting's value in DEFAULTS, by its name in the schema (`netpol.dns.namespace`). */
const DEFAULT_OF: Record<string, unknown> = {
  'netpol.defaultNamespace': DEFAULTS.defaultNamespace,
  'netpol.rules': DEFAULTS.rules,
  'netpol.exclude': DEFAULTS.exclude,
  'netpol.maxFiles': DEFAULTS.maxFiles,
  'netpol.maxFileSizeKB': DEFAULTS.maxFileSizeKB,
  'netpol.maxTotalMB': DEFAULTS.maxTotalMB,
  'netpol.ingressController.namespace': DEFAULTS.ingressController.namespace,
  'netpol.ingressController.labels': DEFAULTS.ingressController.labels,
  'netpol.environmentLabel': DEFAULTS.environmentLabel,
  'netpol.dns.namespace': DEFAULTS.dns.namespace,
  'netpol.dns.labels': DEFAULTS.dns.labels,
  'netpol.requireEgress': DEFAULTS.requireEgress,
  'netpol.cni': DEFAULTS.cni,
  'netpol.codeLens.enabled': DEFAULTS.codeLens,
  'netpol.changeImpact.enabled': DEFAULTS.changeImpact,
};

test('every analysis setting of the schema has its default in DEFAULTS, and no other', () => {
  const settings = Object.keys(schema).filter((k) => k !== 'netpol.trace.server');
  assert.deepEqual(settings.sort(), Object.keys(DEFAULT_OF).sort());
  for (const key of settings) assert.deepEqual(schema[key].default, DEFAULT_OF[key], key);
});

test('settings that are not sent are the defaults; malformed ones fall back to them', () => {
  // Dictionaries built from input have no prototype: compare their entries.
  const plain = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;
  assert.deepEqual(plain(readSettings(undefined)), plain(DEFAULTS));
  assert.deepEqual(plain(readSettings({ defaultNamespace: 7, maxFiles: -1, dns: 'x', rules: { 'allow-all-peers': 'loud' }, cni: 'flannel' })), plain(DEFAULTS));
  assert.equal(readSettings({ cni: 'cilium' }).cni, 'cilium');
  const read = readSettings({ defaultNamespace: 'shop', maxFileSizeKB: 8, dns: { namespace: 'dns' }, rules: { 'allow-all-peers': 'off' }, codeLens: { enabled: false } }, { '**/gen': true });
  assert.deepEqual(
    [read.defaultNamespace, read.maxFileSizeKB, read.dns.namespace, { ...read.dns.labels }, { ...read.rules }, read.codeLens, read.exclude],
    ['shop', 8, 'dns', { ...DEFAULTS.dns.labels }, { 'allow-all-peers': 'off' }, false, ['**/gen']],
  );
});
