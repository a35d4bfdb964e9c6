// Bundles the entry points into dist/ with esbuild. Each bundle is self-contained
// (dependencies inlined) so the .vsix and `npx netpol` need no node_modules.
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  define: { NETPOL_VERSION: JSON.stringify(version) },
};

const entries = [
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
if (existsSync('server/src/lsp/main.ts')) {
  entries.push({ entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' });
}
if (existsSync('client/src/extension.ts')) {
  entries.push({ entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] });
}

await Promise.all(entries.map((e) => build({ ...common, ...e })));
chmodSync('dist/cli.js', 0o755);
