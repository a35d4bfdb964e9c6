/**
 * After a root's build, kustomize rewrites references to objects it renamed
 * (api/internal/accumulator/namereferencetransformer.go, api/filters/nameref/nameref.go): a
 * referring field holding an old name of a target object of the right kind, in the referrer's
 * (current) namespace, gets the target's new name; when several targets fit, the one renamed
 * with the same prefixes and suffixes as the referrer wins; a `{name, namespace}` reference
 * (webhooks) also gets the target's namespace. Only the references in NAME_REFERENCES.
 */
import { NAME_REFERENCES, isClusterScoped, specApplies, splitApiVersion } from './fieldspecs';
import { FieldSpecError, shallowCopy, walkFieldSpec } from './fieldpath';
import { apiVersionOf, describe, kindOf, metaString, touch, type Item } from './item';
import { isPlainMap, setKey, type Plain, type PlainMap } from './objects';
import type { KustomizeNote } from './types';

const effective = (ns: string | undefined): string => ns || 'default';

function clusterScoped(item: Item): boolean {
  return isClusterScoped(apiVersionOf(item.obj), kindOf(item.obj));
}

function sameEndingSubSlice(a: readonly string[], b: readonly string[]): boolean {
  const [shortest, longest] = a.length > b.length ? [b, a] : [a, b];
  const diff = longest.length - shortest.length;
  if (shortest.length === 0) return diff === 0;
  for (let i = shortest.length - 1; i >= 0; i--) if (longest[i + diff] !== shortest[i]) return false;
  return true;
}

function affixesEqual(a: Item, b: Item, allowEmpty: boolean): boolean {
  if (allowEmpty) {
    const prefixOk = a.prefixes.length === 0 || b.prefixes.length === 0 || sameEndingSubSlice(a.prefixes, b.prefixes);
    const suffixOk = a.suffixes.length === 0 || b.suffixes.length === 0 || sameEndingSubSlice(a.suffixes, b.suffixes);
    return prefixOk && suffixOk;
  }
  return sameEndingSubSlice(a.prefixes, b.prefixes) && sameEndingSubSlice(a.suffixes, b.suffixes);
}

/** Rewrites the references of `items` in place; notes where kustomize would find several targets and fail. */
export function fixNameReferences(items: readonly Item[], rootFile: string): KustomizeNote[] {
  const notes: KustomizeNote[] = [];
  for (const ref of NAME_REFERENCES) {
    for (const referrer of items) {
      const specs = ref.referrers.filter((s) => specApplies(s, referrer.source.apiVersion, referrer.source.kind));
      if (specs.length === 0) continue;
      // SubsetThatCouldBeReferencedByResource.
      const reachable = clusterScoped(referrer)
        ? items
        : items.filter((t) => clusterScoped(t) || effective(metaString(t.obj, 'namespace')) === effective(metaString(referrer.obj, 'namespace')));
      const select = (oldName: string, candidates: readonly Item[], sameNamespaceToo: boolean): Item | undefined => {
        let c = candidates.filter((t) => t.prev.some((p) => p.name === oldName));
        c = c.filter((t) => t.prev.some((p) => p.kind === ref.target.kind) && (ref.target.version === undefined || splitApiVersion(apiVersionOf(t.obj)).version === ref.target.version));
        if (!clusterScoped(referrer)) {
          c = c.filter((t) => clusterScoped(t) || kindOf(t.obj) === 'ServiceAccount' || effective(metaString(t.obj, 'namespace')) === effective(metaString(referrer.obj, 'namespace')));
        }
        if (c.length === 1) return c[0];
        c = c.filter((t) => affixesEqual(t, referrer, true));
        if (c.length > 1) c = c.filter((t) => affixesEqual(t, referrer, false));
        if (c.length === 1) return c[0];
        if (c.length === 0) return undefined;
        const first = c[0];
        const identical = c.every((t) => metaString(t.obj, 'name') === metaString(first.obj, 'name') && (!sameNamespaceToo || metaString(t.obj, 'namespace') === metaString(first.obj, 'namespace')));
        if (identical) return first;
        notes.push({
          code: 'conflict', file: rootFile, start: 0, end: 0,
          message: `${describe(referrer)} refers to ${ref.target.kind} ${oldName}, which could be any of ${c.map(describe).join(', ')}: kustomize fails this build`,
        });
        return undefined;
      };
      for (const s of specs) {
        try {
          walkFieldSpec(referrer.obj, s, 'scalar', referrer.owned, (holder, key, path) => {
            const node = (holder as Record<string | number, Plain>)[key as never];
            const fix = (value: Plain, at: (string | number)[], set: (v: string) => void): void => {
              if (typeof value === 'string') {
                const target = select(value, reachable, false);
                const name = target && metaString(target.obj, 'name');
                if (name !== undefined && name !== value) {
                  set(name);
                  touch(referrer, at, rootFile);
                }
              } else if (isPlainMap(value)) {
                fixMapping(value, at);
              }
            };
            const fixMapping = (map: PlainMap, at: (string | number)[]): void => {
              const oldName = map.name;
              if (typeof oldName !== 'string') return;
              let candidates: readonly Item[] = reachable;
              if (typeof map.namespace === 'string') {
                const ns = map.namespace;
                const byOriginal = reachable.filter((t) => effective(t.source.namespace) === ns);
                candidates = byOriginal.length > 0 ? byOriginal : reachable.filter((t) => effective(metaString(t.obj, 'namespace')) === ns);
              }
              const target = select(oldName, candidates, true);
              if (!target) return;
              const name = metaString(target.obj, 'name');
              const ns = metaString(target.obj, 'namespace');
              if (name !== undefined && name !== oldName) {
                setKey(map, 'name', name);
                touch(referrer, [...at, 'name'], rootFile);
              }
              if (ns !== undefined && ns !== '' && map.namespace !== ns) {
                setKey(map, 'namespace', ns);
                touch(referrer, [...at, 'namespace'], rootFile);
              }
            };
            if (Array.isArray(node)) {
              node.forEach((el, i) => {
                // A map inside the (owned) list is this item's to change only once copied.
                if (isPlainMap(el) && !referrer.owned.has(el)) {
                  node[i] = shallowCopy(el);
                  referrer.owned.add(node[i] as object);
                }
                fix(node[i], [...path, i], (v) => { node[i] = v; });
              });
            } else {
              fix(node, [...path], (v) => { (holder as Record<string | number, Plain>)[key as never] = v; });
            }
          });
        } catch (e) {
          if (!(e instanceof FieldSpecError)) throw e;
        }
      }
    }
  }
  return notes;
}
