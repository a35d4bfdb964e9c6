/**
 * Which kustomization references kustomize would fetch over the network (or by running git):
 * the editor never resolves them, the renderer refuses to run kustomize on them.
 *
 * kustomize v5.5.0 (api/internal/loader/fileloader.go, api/internal/git/repospec.go): a file
 * path that parses as an http(s) URL is downloaded; a directory reference is a git clone when
 * it parses as a repository spec — after an optional `git::`, a scheme `ssh://`, `https://`,
 * `http://` or `file://` (a local path, but cloned by running git), a `user@host:` prefix, or
 * `github.com/` / `github.com:` — and a local directory otherwise. Any other `scheme://` is
 * no local path either.
 */

export type RemoteKind = 'url' | 'git';

/** An http(s) URL: kustomize downloads it as a file before trying anything else. */
export function isRemoteFile(ref: string): boolean {
  return /^https?:\/\//i.test(ref.trim());
}

/** How `ref` leaves the machine, or undefined for a local path. */
export function remoteReference(ref: string): RemoteKind | undefined {
  const s = ref.trim();
  if (isRemoteFile(s)) return 'url';
  const bare = s.replace(/^git::/i, '');
  if (bare !== s) return 'git';
  if (/^(?:ssh|https?|file):\/\//i.test(bare)) return 'git';
  if (/^[A-Za-z][A-Za-z0-9-]*@/.test(bare)) return 'git';
  if (/^github\.com[/:]/i.test(bare)) return 'git';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(bare)) return 'url';
  return undefined;
}
