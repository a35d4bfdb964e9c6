/**
 * What a root's build read: file texts, how each reference resolved, which kustomization file
 * each folder had. A later resolution reuses the root's result when all of it is still so
 * (the texts compared by identity first, as the caller hands over the same strings for
 * unchanged files), which makes a keystroke in a file that no root reads cost nothing here.
 */
import type { Resolved, WorkspaceIndex } from './workspace';

export class BuildDeps {
  /** Kustomization files read (normalized paths). */
  readonly kustomizations = new Set<string>();
  readonly texts = new Map<string, string>();
  /** `dir\0ref\0field` → what it resolved to. */
  readonly resolutions = new Map<string, string>();
  /** dir → its kustomization files, joined. */
  readonly kustomizationIns = new Map<string, string>();

  merge(other: BuildDeps): void {
    for (const k of other.kustomizations) this.kustomizations.add(k);
    for (const [k, v] of other.texts) this.texts.set(k, v);
    for (const [k, v] of other.resolutions) this.resolutions.set(k, v);
    for (const [k, v] of other.kustomizationIns) this.kustomizationIns.set(k, v);
  }

  /**
   * True when `ws` still holds every text and resolves every reference and folder as recorded
   * (`samePaths`: the workspace has the same file paths as when this was recorded: references
   * and folders resolve the same, only texts are compared).
   */
  holdIn(ws: WorkspaceIndex, samePaths = false): boolean {
    for (const [path, text] of this.texts) if (ws.files.get(path)?.text !== text) return false;
    if (samePaths) return true;
    for (const [dir, files] of this.kustomizationIns) if ((ws.kustomizationFiles.get(dir) ?? []).join('\0') !== files) return false;
    for (const [key, resolved] of this.resolutions) {
      const [dir, ref, field] = key.split('\0');
      if (resolvedKey(ws.resolve(dir, ref, field as 'resources' | 'bases' | 'components')) !== resolved) return false;
    }
    return true;
  }
}

export function resolvedKey(r: Resolved): string {
  switch (r.type) {
    case 'file':
      return `file:${r.path}`;
    case 'dir':
      return `dir:${r.dir}`;
    case 'remote':
      return `remote:${r.kind}`;
    default:
      return `${r.type}:${r.message}`;
  }
}
