import { collectMesh, type MeshAccess } from '../evidence/mesh';
import type { Analysis } from './analyze';

/** The mesh access control per analysis (one state of the files), computed once, whoever asks. */
const cache = new WeakMap<Analysis, MeshAccess>();
/** The last one built: the next analysis whose mesh objects are the same gets the same object (collectMesh). */
let last: MeshAccess | undefined;

export function meshOf(analysis: Analysis): MeshAccess {
  let mesh = cache.get(analysis);
  if (!mesh) {
    mesh = collectMesh(analysis.files, analysis.model, last);
    cache.set(analysis, mesh);
    last = mesh;
  }
  return mesh;
}
