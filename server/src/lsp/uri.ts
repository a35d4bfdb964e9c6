import { fileURLToPath } from 'node:url';

/**
 * The local path of a `file:` URI, or undefined for any other URI and for a `file:` URI
 * that names no local path here (a host on a system without UNC paths, a broken
 * percent-escape). Clients send any URI they like: a document they open is analysed
 * from its text whatever its URI, and only what needs the disk asks for a path.
 */
export function filePathOf(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || !uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
