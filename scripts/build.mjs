// Bundles the entry points into dist/ with esbuild. Each bundle is self-contained
// (dependencies inlined) so the .vsix and `npx netpol` need no node_modules.
import { build } from 'esbuild';
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';

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

// The webviews' scripts and styles: client/media/<view>/main.js and view.css (with what
// they import from client/media/common/ and client/src/webview/) become one script and
// one stylesheet per view in dist/media/<view>/, what the extension's pages load.
if (existsSync('client/media')) {
  const views = readdirSync('client/media', { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'common');
  entries.push({
    entryPoints: views.flatMap((d) => [`client/media/${d.name}/main.js`, `client/media/${d.name}/view.css`]),
    outbase: 'client/media',
    outdir: 'dist/media',
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    sourcemap: false,
  });
}

await Promise.all(entries.map((e) => build({ ...common, ...e })));
chmodSync('dist/cli.js', 0o755);
