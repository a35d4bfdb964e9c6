import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * The repository's root (where package.json is), whichever folder a compiled test runs
 * from (out/test/...): fixtures, docs and the built bundles are found from here.
 */
export const ROOT = ((): string => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root above ${__dirname}`);
  }
})();

/** The built bundles (npm run build). */
export const CLI = resolve(ROOT, 'dist/cli.js');
export const SERVER = resolve(ROOT, 'dist/server.js');
