/**
 * Paths as kustomize joins them, without `node:path` (the core runs no file system code):
 * forward slashes, `.` and `..` resolved lexically. The caller's paths may use `\` (Windows);
 * they are compared in this form and reported back as the caller spelled them.
 */

/** `a\b//c/./d/../e` → `a/b/c/e`; keeps a leading `/` or a drive (`C:/`); `..` above a relative start stays. */
export function normalizePath(path: string): string {
  const p = path.replace(/\\/g, '/');
  const drive = /^[A-Za-z]:(?=\/|$)/.exec(p)?.[0] ?? '';
  const rest = p.slice(drive.length);
  const absolute = rest.startsWith('/');
  const out: string[] = [];
  for (const part of rest.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
      continue;
    }
    out.push(part);
  }
  const body = out.join('/');
  if (absolute) return `${drive}/${body}`;
  return drive ? `${drive}${body}` : body || '.';
}

export function isAbsolutePath(path: string): boolean {
  return /^(?:[A-Za-z]:)?[\\/]/.test(path);
}

/** `dir` joined with a relative `path` (an absolute `path` stands alone), normalized. */
export function joinPath(dir: string, path: string): string {
  if (isAbsolutePath(path)) return normalizePath(path);
  return normalizePath(dir === '.' ? path : `${dir}/${path}`);
}

/** The folder of a normalized path (`.` for a bare name). */
export function dirnameOf(path: string): string {
  const i = path.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  if (i === 2 && /^[A-Za-z]:/.test(path)) return path.slice(0, 3);
  return path.slice(0, i);
}

export function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when normalized `path` is `dir` or below it. */
export function isWithin(dir: string, path: string): boolean {
  if (dir === '.') return !path.startsWith('../') && path !== '..' && !isAbsolutePath(path);
  if (path === dir) return true;
  return path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
