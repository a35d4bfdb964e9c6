import type { LabelSelector, Labels } from '../model/types';
import { hasOwn, own } from '../base/own';

/** Kubernetes label-selector semantics: all matchLabels and all requirements must hold. */
export function selectorMatches(sel: LabelSelector, labels: Labels): boolean {
  if (!sel.valid) return false;
  for (const key in sel.matchLabels) {
    if (own(labels, key) !== sel.matchLabels[key]) return false;
  }
  for (const req of sel.matchExpressions) {
    const has = hasOwn(labels, req.key);
    switch (req.operator) {
      case 'In':
        if (!has || !req.values.includes(labels[req.key])) return false;
        break;
      case 'NotIn':
        // NotIn also matches objects that lack the key (apimachinery labels.Selector).
        if (has && req.values.includes(labels[req.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export function isEmptySelector(sel: LabelSelector): boolean {
  return sel.valid && Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
}

/**
 * An inverted index from labels to item ids, so a selector is tested only against the
 * items that carry at least its most selective label, not against every item.
 */
export class LabelIndex {
  /** key -> value -> ids (two levels: no key/value string to build per lookup). */
  private readonly byPair = new Map<string, Map<string, number[]>>();
  private readonly byKey = new Map<string, number[]>();
  private readonly all: number[] = [];

  add(id: number, labels: Labels): void {
    this.all.push(id);
    for (const key in labels) {
      push(this.byKey, key, id);
      let values = this.byPair.get(key);
      if (!values) this.byPair.set(key, (values = new Map()));
      push(values, labels[key], id);
    }
  }

  /** Items with label key=value. */
  private withPair(key: string, value: string): readonly number[] {
    return this.byPair.get(key)?.get(value) ?? NONE;
  }

  /** A superset of the ids the selector matches (ascending order). */
  candidates(sel: LabelSelector): readonly number[] {
    if (!sel.valid) return [];
    let best: readonly number[] = this.all;
    for (const key in sel.matchLabels) {
      const list = this.withPair(key, sel.matchLabels[key]);
      if (list.length < best.length) best = list;
    }
    for (const req of sel.matchExpressions) {
      if (req.operator === 'Exists' || (req.operator === 'In' && req.values.length === 1)) {
        const list = req.operator === 'Exists' ? this.byKey.get(req.key) ?? NONE : this.withPair(req.key, req.values[0]);
        if (list.length < best.length) best = list;
      } else if (req.operator === 'In') {
        const size = req.values.reduce((n, v) => n + this.withPair(req.key, v).length, 0);
        if (size < best.length) best = this.byKey.get(req.key) ?? NONE;
      }
    }
    return best;
  }

  get size(): number {
    return this.all.length;
  }
}

const NONE: readonly number[] = Object.freeze([]);

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (list) list.push(id);
  else map.set(key, [id]);
}
