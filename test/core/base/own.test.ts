import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dict, dictOf, hasOwn, own } from '../../../server/src/core/base/own';

const INHERITED_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__defineGetter__', 'toJSON'];

test('a dict inherits no name: every lookup of a name it was not given misses', () => {
  const d = dict<string>();
  for (const name of INHERITED_NAMES) {
    assert.equal(d[name], undefined, name);
    assert.ok(!(name in d), name);
    assert.equal(own(d, name), undefined, name);
  }
  assert.deepEqual(Object.keys(d), []);
  assert.equal(JSON.stringify(d), '{}');
  // Nothing can be added to what dicts inherit.
  const proto = Object.getPrototypeOf(d) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(proto), null);
  assert.ok(Object.isFrozen(proto));
  assert.throws(() => {
    proto.polluted = 'yes';
  }, TypeError);
  assert.equal((dict<string>() as Record<string, unknown>).polluted, undefined);
});

test('a dict takes the inherited names as ordinary own keys, in insertion order (integer-like keys first)', () => {
  const d = dict<string>();
  for (const name of INHERITED_NAMES) d[name] = `v-${name}`;
  d['2'] = 'two';
  d['1'] = 'one';
  assert.deepEqual(Object.keys(d), ['1', '2', ...INHERITED_NAMES]);
  for (const name of INHERITED_NAMES) {
    assert.ok(hasOwn(d, name), name);
    assert.equal(d[name], `v-${name}`, name);
  }
  // __proto__ stayed a key: the prototype did not change.
  assert.equal(Object.getPrototypeOf(d), Object.getPrototypeOf(dict()));
  assert.deepEqual(JSON.parse(JSON.stringify(d)), Object.fromEntries(Object.entries(d)));
  const copy = { ...d };
  assert.ok(Object.prototype.hasOwnProperty.call(copy, '__proto__'));
  assert.deepEqual(Object.keys(copy), Object.keys(d));
  assert.deepEqual(Object.entries(dictOf(Object.entries(d))), Object.entries(d));
});

test('dicts of the same entries compare equal, whatever order of construction of other dicts', () => {
  const a = dictOf([['app', 'web'], ['tier', 'frontend']]);
  const b = dict<string>();
  b.app = 'web';
  b.tier = 'frontend';
  assert.deepStrictEqual(a, b);
  delete b.tier;
  assert.deepEqual(Object.entries(b), [['app', 'web']]);
  assert.notDeepStrictEqual(a, b);
});
