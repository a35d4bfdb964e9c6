#!/usr/bin/env node
/*
 * code-launcher.js: a stand-in for the VS Code executable, for
 *   require('@vscode/test-electron').runTests({ vscodeExecutablePath: '<this file>', ... })
 *
 * It accepts the arguments test-electron passes to VS Code
 *   --extensionDevelopmentPath=DIR (one or more)  --extensionTestsPath=MODULE
 *   --user-data-dir=DIR  --extensions-dir=DIR  [workspace folder or .code-workspace, via launchArgs]
 * (any other flag, e.g. --no-sandbox --disable-gpu-sandbox --skip-welcome, is ignored), then
 *   1. starts code-server (VS Code server + web workbench, installed by install-code-server.sh)
 *      on a free 127.0.0.1 port, with private XDG_* / TMPDIR folders, in its own process group;
 *   2. waits for /healthz;
 *   3. opens the workbench in headless Debian chromium (playwright-core) with the `payload` that makes
 *      the extension host load the development extension and run extensionTestsPath (mocha etc.);
 *   4. prints the extension host's console output (codeAutomationLog) to stdout and exits with the
 *      tests' exit code (codeAutomationExit): 0 = passed;
 *   5. always stops the browser and code-server's whole process group.
 *
 * CLI-only calls (--install-extension, --uninstall-extension, --list-extensions, --version, --help)
 * are passed to code-server's CLI with the same --extensions-dir / --user-data-dir.
 *
 * Environment:
 *   NETPOL_EDITOR_DIR          where install-code-server.sh installed code-server (default <repo>/.cache/editor)
 *   NETPOL_EDITOR_TIMEOUT_MS   overall limit for one run, default 300000 (5 min); exit code 124 on timeout
 *   NETPOL_EDITOR_CHROMIUM     browser executable, default /usr/bin/chromium
 *   NETPOL_EDITOR_ARTIFACTS    folder; on failure/timeout a screenshot, code-server's log and the
 *                              workbench's logs are written there
 *   NETPOL_EDITOR_VERBOSE=1    also print code-server's log and the browser console to stderr
 *   NETPOL_EDITOR_KEEP=1       keep the run's temporary folder (printed at the start)
 * Every other variable is passed to code-server and so reaches the extension host (test-electron's
 * extensionTestsEnv ends up there).
 */
'use strict';

const cp = require('child_process');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');
const util = require('util');

const REPO = path.resolve(__dirname, '..', '..');
const EDITOR_DIR = path.resolve(process.env.NETPOL_EDITOR_DIR || path.join(REPO, '.cache', 'editor'));
const CODE_SERVER_ENTRY = path.join(EDITOR_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = process.env.NETPOL_EDITOR_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = Number(process.env.NETPOL_EDITOR_TIMEOUT_MS || 300000);
const VERBOSE = process.env.NETPOL_EDITOR_VERBOSE === '1';
const KEEP = process.env.NETPOL_EDITOR_KEEP === '1';
const ARTIFACTS = process.env.NETPOL_EDITOR_ARTIFACTS ? path.resolve(process.env.NETPOL_EDITOR_ARTIFACTS) : '';
const HEALTH_TIMEOUT_MS = 60000;
const POLL_MS = 200;
const EXIT_TIMEOUT = 124;
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--disable-crash-reporter',
];
// Workbench chatter that reaches codeAutomationLog besides the extension host's console output;
// dropped unless NETPOL_EDITOR_VERBOSE=1. (open-vsx.org cannot be reached here: harmless.)
const NOISE = [
  /ENOTFOUND open-vsx\.org/, /^Resolv(ing|ed) connection token/, /^Creating a socket \(/,
  /^Updating additional builtin extensions cache/, /^\[Service Worker\]/, /^ChatSessionStore: Migrating 0 /,
];
const CLI_ONLY_FLAGS = ['--install-extension', '--uninstall-extension', '--list-extensions', '--version', '--help', '-v', '-h'];

const T0 = Date.now();
let interruptedCode = 0; // set by SIGINT/SIGTERM/SIGHUP
const secs = () => ((Date.now() - T0) / 1000).toFixed(1) + 's';
const say = (msg) => process.stderr.write(`[code-launcher ${secs()}] ${msg}\n`);

// ---- arguments -------------------------------------------------------------------------------------
function parseArgs(argv) {
  const out = { devPaths: [], testsPath: '', userDataDir: '', extensionsDir: '', positionals: [], ignored: [] };
  const valued = {
    '--extensionDevelopmentPath': (v) => out.devPaths.push(path.resolve(v)),
    '--extensionTestsPath': (v) => { out.testsPath = path.resolve(v); },
    '--user-data-dir': (v) => { out.userDataDir = path.resolve(v); },
    '--extensions-dir': (v) => { out.extensionsDir = path.resolve(v); },
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (valued[name]) {
      const v = eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new Error(`${name} needs a value`);
      valued[name](v);
    } else if (a.startsWith('-')) {
      out.ignored.push(a);
    } else {
      out.positionals.push(path.resolve(a));
    }
  }
  return out;
}

// ---- helpers ---------------------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Resolves with the promise's value, or undefined after ms. The timer keeps the process alive only
// with keepAlive (used for the overall deadline, so that the process can never just drain and exit 0).
function bounded(promise, ms, keepAlive = false) {
  let timer;
  return Promise.race([
    Promise.resolve(promise).finally(() => clearTimeout(timer)),
    new Promise((r) => { timer = setTimeout(r, ms); if (!keepAlive) timer.unref(); }),
  ]);
}

function tail(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function loadPlaywright() {
  for (const base of [REPO, EDITOR_DIR]) {
    try {
      const p = require.resolve('playwright-core', { paths: [base] });
      if (VERBOSE) say(`playwright-core from ${p}`);
      return require(p);
    } catch { /* next */ }
  }
  throw new Error(`playwright-core not found in ${REPO}/node_modules or ${EDITOR_DIR}/node_modules; run scripts/editor/install-code-server.sh`);
}

function vscodeRemoteUri(authority, absPath) {
  const p = absPath.split(path.sep).map(encodeURIComponent).join('/');
  return `vscode-remote://${authority}${p.startsWith('/') ? '' : '/'}${p}`;
}

const SUPERVISOR = `
const rmDir = process.env.NETPOL_EDITOR_SUPERVISOR_RMDIR;
delete process.env.NETPOL_EDITOR_SUPERVISOR_RMDIR;
const child = require('child_process').spawn(process.execPath, process.argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'] });
const killGroup = () => {
  if (rmDir) try {
    require('child_process').spawn('sh', ['-c', 'sleep 1; rm -rf "$0"', rmDir], { detached: true, stdio: 'ignore' }).unref();
  } catch {}
  try { process.kill(-process.pid, 'SIGKILL'); } catch {}
  process.exit(1);
};
process.stdin.on('end', killGroup); process.stdin.on('error', killGroup); process.stdin.resume();
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => child.kill(s));
child.on('exit', (code) => process.exit(code === null ? 1 : code));
`;

// ---- code-server process -----------------------------------------------------------------------------
class CodeServer {
  constructor(runDir) {
    this.runDir = runDir;
    this.log = path.join(runDir, 'code-server.log');
    this.child = null;
    this.exited = null; // {code, signal} once exited
  }

  env() {
    const env = { ...process.env };
    // Inside a VS Code / code-server terminal this would make code-server open the folder in
    // that other instance instead of starting a server.
    delete env.VSCODE_IPC_HOOK_CLI;
    delete env.ELECTRON_RUN_AS_NODE;
    for (const [k, d] of [['XDG_CONFIG_HOME', 'config'], ['XDG_DATA_HOME', 'data'], ['XDG_CACHE_HOME', 'cache'], ['TMPDIR', 'tmp']]) {
      env[k] = path.join(this.runDir, d);
      fs.mkdirSync(env[k], { recursive: true });
    }
    return env;
  }

  start(port, opts) {
    this.port = port;
    const args = [
      CODE_SERVER_ENTRY, '--config', '/dev/null', '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', opts.userDataDir, '--extensions-dir', opts.extensionsDir,
      '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--disable-getting-started-override', '--ignore-last-opened',
    ];
    const fd = fs.openSync(this.log, 'a');
    // A tiny supervisor leads a new process group and runs code-server in it. It holds a pipe from
    // us: if this launcher dies in any way (even SIGKILL), the pipe closes and the supervisor kills
    // the whole group (code-server, its extension hosts, file watchers, pty hosts).
    const env = this.env();
    if (!KEEP) env.NETPOL_EDITOR_SUPERVISOR_RMDIR = this.runDir; // removed if we die without cleaning up
    this.child = cp.spawn(process.execPath, ['-e', SUPERVISOR, ...args], {
      env, cwd: '/', detached: true, stdio: ['pipe', fd, fd],
    });
    fs.closeSync(fd);
    this.child.stdin.on('error', () => {});
    this.child.stdin.unref();
    this.exited = null;
    this.child.on('exit', (code, signal) => { this.exited = { code, signal }; });
    this.child.on('error', (e) => { this.exited = { code: -1, signal: String(e) }; });
    if (VERBOSE) this.follow();
  }

  follow() {
    let pos = 0;
    this.followTimer = setInterval(() => {
      try {
        const buf = fs.readFileSync(this.log);
        if (buf.length > pos) process.stderr.write(buf.subarray(pos).toString().replace(/^/gm, '[code-server] '));
        pos = buf.length;
      } catch { /* not yet */ }
    }, 500);
    this.followTimer.unref();
  }

  async waitHealthy(port, deadline) {
    const url = `http://127.0.0.1:${port}/healthz`;
    const limit = Math.min(deadline, Date.now() + HEALTH_TIMEOUT_MS);
    while (Date.now() < limit) {
      if (this.exited) return false;
      if (await httpOk(url)) return true;
      await sleep(POLL_MS);
    }
    return false;
  }

  killGroupSync(signal) {
    if (!this.child) return;
    try { process.kill(-this.child.pid, signal); } catch { /* gone */ }
  }

  async stop() {
    if (this.followTimer) clearInterval(this.followTimer);
    if (!this.child) return;
    this.killGroupSync('SIGTERM');
    const until = Date.now() + 1500; // it takes ~2 s to exit gracefully; tests don't need that
    while (Date.now() < until && this.groupAlive()) await sleep(100);
    if (this.groupAlive()) this.killGroupSync('SIGKILL');
    this.child.stdin.destroy();
    this.stopped = true;
  }

  groupAlive() {
    if (!this.child) return false;
    try { process.kill(-this.child.pid, 0); return true; } catch { return false; }
  }
}

// ---- CLI pass-through ----------------------------------------------------------------------------------
function runCli(argv, opts, runDir) {
  const cs = new CodeServer(runDir);
  const args = [CODE_SERVER_ENTRY, '--config', '/dev/null'];
  if (opts.userDataDir) args.push('--user-data-dir', opts.userDataDir);
  if (opts.extensionsDir) args.push('--extensions-dir', opts.extensionsDir);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (/^--(user-data-dir|extensions-dir)(=|$)/.test(a)) { if (!a.includes('=')) i++; continue; }
    args.push(a);
  }
  const r = cp.spawnSync(process.execPath, args, { env: cs.env(), stdio: 'inherit' });
  return r.status === null ? 1 : r.status;
}

// code-server's native modules were built for the Node that ran install-code-server.sh, and
// code-server runs on the Node that runs this file.
function nodeAbiProblem() {
  let stamp = '';
  try { stamp = fs.readFileSync(path.join(EDITOR_DIR, '.installed'), 'utf8'); } catch { return ''; }
  const m = /node=(\S+)/.exec(stamp);
  const here = `${process.versions.node.split('.')[0]}/abi${process.versions.modules}`;
  if (m && m[1] !== here) {
    return `code-server in ${EDITOR_DIR} was built for node ${m[1]} but this is node ${process.version} (${here}); ` +
      'run install-code-server.sh with this node (code-server 4.100.3 needs Node 20)';
  }
  return '';
}

// ---- shared building blocks (also used by UI-level scripts, see openEditor) -----------------------------
// Starts code-server on a free port (retrying if another process won the race for it) and waits for
// /healthz. Returns { cs, port }; throws with code-server's log on failure.
async function startCodeServer({ runDir, userDataDir, extensionsDir, deadline }) {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed at ${CODE_SERVER_ENTRY}; run: bash ${path.join(__dirname, 'install-code-server.sh')}`);
  }
  const abiProblem = nodeAbiProblem();
  if (abiProblem) throw new Error(abiProblem);
  fs.mkdirSync(userDataDir, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const cs = new CodeServer(runDir);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    cs.start(port, { userDataDir, extensionsDir });
    if (await cs.waitHealthy(port, deadline)) return { cs, port };
    const log = tail(cs.log, 30);
    await cs.stop();
    if (attempt < 3 && /EADDRINUSE/.test(log) && Date.now() < deadline) continue;
    throw new Error(`code-server did not become healthy on 127.0.0.1:${port} ` +
      `(${cs.exited ? `exited ${JSON.stringify(cs.exited)}` : 'timed out'}); its log:\n${log}`);
  }
}

async function launchBrowser({ runDir, viewport = { width: 1400, height: 900 } }) {
  const { chromium } = loadPlaywright();
  // Private HOME/XDG folders: chromium's crash handler otherwise creates ~/.config/chromium.
  const env = { ...process.env };
  for (const [k, d] of [['HOME', 'home'], ['XDG_CONFIG_HOME', 'config'], ['XDG_CACHE_HOME', 'cache'], ['TMPDIR', 'tmp']]) {
    env[k] = path.join(runDir, 'browser', d);
    fs.mkdirSync(env[k], { recursive: true });
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, env,
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
  });
  // reducedMotion: the workbench (reduceMotion=auto) then skips fade-ins, so screenshots are crisp.
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  if (VERBOSE) page.on('console', (m) => process.stderr.write(`[browser ${m.type()}] ${m.text()}\n`));
  return { browser, page };
}

function workbenchUrl(port, { folder, payload } = {}) {
  const params = [];
  if (folder && /\.code-workspace$/.test(folder)) params.push(`workspace=${encodeURIComponent(path.resolve(folder))}`);
  else if (folder) params.push(`folder=${encodeURIComponent(path.resolve(folder))}`);
  if (payload) params.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `http://127.0.0.1:${port}/${params.length ? '?' + params.join('&') : ''}`;
}

/**
 * For UI-level scripts: code-server + headless chromium with the workbench open on `folder`.
 *   const { page, close } = await require('.../code-launcher.js').openEditor({ folder, extensionsDir });
 * extensionsDir: where `code-launcher.js --install-extension x.vsix --extensions-dir DIR` put extensions.
 * settings: user settings written to <userDataDir>/User/settings.json (default: a private user-data-dir).
 * Resolves once the workbench shows (.monaco-workbench). Always call close().
 */
async function openEditor({ folder, extensionsDir, userDataDir, settings, viewport, timeoutMs = 120000 } = {}) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-editor-'));
  userDataDir = userDataDir || path.join(runDir, 'user-data');
  if (settings) {
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  }
  const deadline = Date.now() + timeoutMs;
  let cs = null;
  let browser = null;
  const close = async () => {
    if (browser) await bounded(browser.close(), 5000).catch(() => {});
    if (cs) await cs.stop();
    if (!KEEP) fs.rmSync(runDir, { recursive: true, force: true });
  };
  const onExit = () => { if (cs && !cs.stopped) cs.killGroupSync('SIGKILL'); };
  process.on('exit', onExit);
  try {
    ({ cs } = await startCodeServer({
      runDir, deadline, userDataDir,
      extensionsDir: extensionsDir || path.join(runDir, 'extensions'),
    }));
    const port = cs.port;
    let page;
    ({ browser, page } = await launchBrowser({ runDir, viewport }));
    await page.goto(workbenchUrl(port, { folder }), { waitUntil: 'domcontentloaded', timeout: Math.max(1000, deadline - Date.now()) });
    await page.waitForSelector('.monaco-workbench', { timeout: Math.max(1000, deadline - Date.now()) });
    return { page, browser, port, url: workbenchUrl(port, { folder }), codeServerLog: cs.log, close };
  } catch (e) {
    await close();
    throw e;
  }
}

// ---- main: run extension tests -------------------------------------------------------------------------
async function main() {
  const argv = process.argv.slice(2);
  const opts = parseArgs(argv);
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    say(`code-server is not installed at ${CODE_SERVER_ENTRY}; run: bash ${path.join(__dirname, 'install-code-server.sh')}`);
    return 2;
  }
  const abiProblem = nodeAbiProblem();
  if (abiProblem) {
    say(abiProblem);
    return 2;
  }
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-editor-'));
  const cleanupDir = () => { if (!KEEP) fs.rmSync(runDir, { recursive: true, force: true }); };

  if (argv.some((a) => CLI_ONLY_FLAGS.includes(a.split('=')[0]))) {
    try { return runCli(argv, opts, runDir); } finally { cleanupDir(); }
  }
  if (!opts.testsPath) {
    say('no --extensionTestsPath given: this launcher only runs extension tests (see the header of code-launcher.js)');
    cleanupDir();
    return 2;
  }
  const target = opts.positionals[0];
  if (opts.positionals.length > 1) say(`ignoring extra positional arguments: ${opts.positionals.slice(1).join(' ')}`);
  if (target && !fs.existsSync(target)) say(`warning: workspace ${target} does not exist`);

  // Playwright's browser profile and chromium's temp files go into the run folder too, so that
  // nothing is left in /tmp even when this process is killed.
  process.env.TMPDIR = path.join(runDir, 'launcher-tmp');
  fs.mkdirSync(process.env.TMPDIR, { recursive: true });
  const deadline = T0 + TIMEOUT_MS;
  let cs = null;
  let browser = null;
  let page = null;

  // Safety net: whatever happens, the process group dies with us (playwright kills its browser itself).
  process.on('exit', () => { if (cs && !cs.stopped) cs.killGroupSync('SIGKILL'); });

  let cleaning = null;
  const cleanup = () => (cleaning = cleaning || (async () => {
    if (browser) await bounded(browser.close(), 5000).catch(() => {});
    if (VERBOSE) say('browser closed');
    if (cs) await cs.stop();
    if (VERBOSE) say('code-server stopped');
    cleanupDir();
  })());
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      interruptedCode = sig === 'SIGINT' ? 130 : sig === 'SIGTERM' ? 143 : 129;
      say(`${sig}: stopping code-server and the browser`);
      cleanup().finally(() => process.exit(interruptedCode));
    });
  }

  const saveArtifacts = async (why, logs) => {
    if (!ARTIFACTS) return;
    try {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      if (cs) fs.copyFileSync(cs.log, path.join(ARTIFACTS, 'code-server.log'));
      if (page) await bounded(page.screenshot({ path: path.join(ARTIFACTS, 'workbench.png') }), 5000);
      for (const l of logs || []) {
        if (!l || !l.relativePath) continue;
        const f = path.join(ARTIFACTS, 'workbench-logs', path.normalize(l.relativePath).replace(/^(\.\.[/\\])+/, ''));
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, l.contents);
      }
      say(`${why}: artifacts in ${ARTIFACTS}`);
    } catch (e) {
      say(`could not save artifacts: ${e.message}`);
    }
  };

  let stage = 'starting code-server';
  const timeoutMessage = () => `TIMEOUT after ${TIMEOUT_MS / 1000}s (NETPOL_EDITOR_TIMEOUT_MS) while ${stage}; ` +
    `last lines of code-server's log:\n${cs ? tail(cs.log, 15) : '(not started)'}`;
  try {
    if (KEEP || VERBOSE) say(`run folder ${runDir}`);
    if (VERBOSE && opts.ignored.length) say(`ignored flags: ${opts.ignored.join(' ')}`);
    // 1. code-server
    ({ cs } = await startCodeServer({
      runDir, deadline,
      userDataDir: opts.userDataDir || path.join(runDir, 'user-data'),
      extensionsDir: opts.extensionsDir || path.join(runDir, 'extensions'),
    }));
    const port = cs.port;
    say(`code-server ready on 127.0.0.1:${port}`);

    // 2. browser, with the two hooks the workbench calls in automation mode
    stage = 'launching chromium';
    ({ browser, page } = await launchBrowser({ runDir }));
    let settle;
    const outcome = new Promise((resolve) => { settle = resolve; });
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(Array.isArray(args) ? args : [args]));
      if (!VERBOSE && NOISE.some((re) => re.test(line))) return;
      process.stdout.write(line.endsWith('\n') ? line : line + '\n');
    });
    await page.exposeFunction('codeAutomationExit', (code, logs) => {
      settle({ code: Number.isInteger(code) ? code : 1, logs });
    });
    page.on('crash', () => settle({ error: 'the workbench page crashed' }));
    browser.on('disconnected', () => settle({ error: 'the browser went away' }));

    // 3. open the workbench with the test payload (authority = the page's host:port)
    const authority = `127.0.0.1:${port}`;
    const payload = [
      ...opts.devPaths.map((p) => ['extensionDevelopmentPath', vscodeRemoteUri(authority, p)]),
      ['extensionTestsPath', vscodeRemoteUri(authority, opts.testsPath)],
      ['skipWelcome', 'true'],
    ];
    stage = 'loading the workbench';
    say(`opening workbench: ${target ? `folder ${target}, ` : ''}tests ${opts.testsPath}`);
    await page.goto(workbenchUrl(port, { folder: target, payload }), {
      waitUntil: 'domcontentloaded', timeout: Math.max(1000, deadline - Date.now()),
    });

    // 4. wait for the tests, bounded by the overall deadline
    stage = 'running the extension tests';
    const result = await bounded(outcome, Math.max(0, deadline - Date.now()), true);
    if (!result) {
      say(timeoutMessage());
      await saveArtifacts('timeout');
      return EXIT_TIMEOUT;
    }
    if (interruptedCode) return interruptedCode;
    if (result.error) {
      say(`FAILED: ${result.error}`);
      await saveArtifacts('failure');
      return 1;
    }
    say(`extension tests exited with code ${result.code}`);
    if (result.code !== 0) await saveArtifacts('tests failed', result.logs);
    return result.code;
  } catch (e) {
    if (interruptedCode) return interruptedCode;
    if (Date.now() >= deadline - 500 || (e && e.name === 'TimeoutError')) {
      say(timeoutMessage());
      await saveArtifacts('timeout');
      return EXIT_TIMEOUT;
    }
    say(`FAILED while ${stage}: ${e && e.message ? e.message : e}`);
    await saveArtifacts('error');
    return 1;
  } finally {
    await cleanup();
  }
}

module.exports = { openEditor, startCodeServer, launchBrowser, workbenchUrl, parseArgs, EDITOR_DIR, CODE_SERVER_ENTRY };

if (require.main === module) {
// Exit explicitly: nothing we started is left to wait for (stdout/stderr writes to pipes and files
// are synchronous on Linux).
  main().then(
    (code) => process.exit(interruptedCode || code),
    (e) => { say(`FAILED: ${e && e.stack ? e.stack : e}`); process.exit(1); },
  );
}
