// `npm start`: the examples/ workspace in a real VS Code with the extension loaded.
// - With VS Code installed (`code` on PATH): an Extension Development Host on examples/.
// - Otherwise: the local browser VS Code (code-server, installed on first use), with the
//   freshly packaged extension installed, at a printed http://127.0.0.1:PORT URL.
import { spawnSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLES = join(ROOT, 'examples');
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`npm start: ${cmd} ${args.join(' ')} failed`);
    process.exit(r.status ?? 1);
  }
};
const onPath = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

run('npm', ['run', '--silent', 'build']);

if (onPath('code') && !process.env.NETPOL_USE_CODE_SERVER) {
  console.log('Opening examples/ in VS Code with the extension under development…');
  const child = spawn('code', [`--extensionDevelopmentPath=${ROOT}`, EXAMPLES], { stdio: 'inherit', detached: true });
  child.unref();
  process.exit(0);
}

console.log('VS Code is not installed here: using the browser VS Code (code-server).');
run('bash', [join(ROOT, 'scripts/editor/install-code-server.sh')]);
run('npm', ['run', '--silent', 'package']);

const require = createRequire(import.meta.url);
const launcher = require('./editor/code-launcher.js');
const state = join(ROOT, '.cache', 'start');
const extensionsDir = join(state, 'extensions');
const userDataDir = join(state, 'user-data');
mkdirSync(extensionsDir, { recursive: true });
run(process.execPath, [join(ROOT, 'scripts/editor/code-launcher.js'), '--install-extension', join(ROOT, 'netpol-studio.vsix'), '--force', '--extensions-dir', extensionsDir], { stdio: 'ignore' });
if (!existsSync(extensionsDir)) process.exit(1);

const runDir = join(state, 'run');
mkdirSync(runDir, { recursive: true });
const { cs, port } = await launcher.startCodeServer({ runDir, userDataDir, extensionsDir, deadline: Date.now() + 120_000 });
const url = launcher.workbenchUrl(port, { folder: EXAMPLES });
console.log(`\nNetPol Studio is running in VS Code (code-server ${port}):\n\n  ${url}\n\nOpen it in a browser; open shop/broken-policy.yaml to see diagnostics. Ctrl+C stops it.`);
const stop = async () => {
  await cs.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {
  if (cs.exited) {
    console.error(`code-server exited (${JSON.stringify(cs.exited)}); its log: ${cs.log}`);
    process.exit(1);
  }
}, 1000);
