/**
 * `--kustomize DIR`: the real kustomize renders DIR, for what the in-process subset does not
 * model (patches, generators, replacements, images, …). It runs only what the user asked for,
 * and nothing a repository could turn into a program or a download:
 *
 * - before anything runs, the kustomization tree is walked (files read through the safe
 *   reader, parsed by the core's kustomize module): a remote resource, base or component (a
 *   URL, a git repository), any other file named by URL (patches, generator inputs, openapi,
 *   plugin configs), Helm charts and non-built-in plugins are refused with a message;
 * - kustomize runs with plugins, exec functions and Helm off, the default load restrictor,
 *   and no network for functions (`--enable-alpha-plugins=false --enable-exec=false
 *   --enable-helm=false --load-restrictor=LoadRestrictionsRootOnly --network=false`);
 * - the program (`kubectl`, which ships kustomize, else `kustomize`) is an absolute path found
 *   on the absolute PATH entries outside the workspace and the current directory (as git is:
 *   safe-git.ts), and runs in an environment of its own: an empty PATH (so no git for a remote
 *   base, no helm), a home folder and kubeconfig of its own in a temporary folder (a kubectl
 *   that asks a cluster for its version — gcloud's dispatcher does — finds none, and runs no
 *   credential plugin), HTTP(S) proxies that lead nowhere (a download that slipped through
 *   fails without leaving the machine);
 * - with a timeout and an output cap;
 * - the user's kustomization is never edited: a wrapper kustomization in a temporary folder
 *   lists DIR (by relative path: kustomize refuses an absolute one) with
 *   `buildMetadata: [originAnnotations]`, so each rendered object carries the file it came
 *   from (`config.kubernetes.io/origin`, path relative to the wrapper); the annotation is
 *   removed again from what is returned unless DIR asked for it itself.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isMap, isScalar, parseAllDocuments, parse as parseYaml } from 'yaml';
import {
  isRemoteFile, KUSTOMIZATION_FILE_NAMES, parseKustomization, remoteNamedFiles, remoteReference, resolveKustomizations, scanPluginConfig,
  type KustomizeInputFile, type KustomizeResolution, type SourceObject,
} from '../core/index';
import { readRegularFile, realPath } from './safe-read';
import { safePathDirs } from './safe-git';

/** Refused or failed: the message is for the user. */
export class KustomizeRenderError extends Error {}

export interface KustomizeTool {
  /** Absolute path of the program. */
  readonly program: string;
  readonly kind: 'kubectl' | 'kustomize';
}

export interface RenderLimits {
  /** Kustomization files and resource files read by the walk. */
  readonly maxFiles: number;
  readonly maxFileBytes: number;
  readonly maxTotalBytes: number;
}

export const RENDER_LIMITS: RenderLimits = { maxFiles: 20_000, maxFileBytes: 16 * 1024 * 1024, maxTotalBytes: 256 * 1024 * 1024 };

export interface RenderOptions {
  /** Folders whose programs never run (the workspace); DIR and the current directory always count. */
  readonly untrusted?: readonly string[];
  /** Default 60 s. */
  readonly timeoutMs?: number;
  /** kustomize's output beyond this stops it; default 64 MiB. */
  readonly maxOutputBytes?: number;
  /** The environment whose PATH is searched (the child never gets it). */
  readonly env?: NodeJS.ProcessEnv;
  /** A program found already (findKustomizeTool). */
  readonly tool?: KustomizeTool;
  readonly limits?: Partial<RenderLimits>;
}

/** Where a rendered object comes from. */
export interface RenderedOrigin {
  /** The source file, absolute (as the walk read it; links inside DIR are not resolved). */
  readonly file: string;
  /** The document in it, when it could be told apart (by the subset's predicted kind, namespace and name). */
  readonly source?: SourceObject;
  /** For an object a generator made: the kustomization file that configured it (`file` is that file). */
  readonly generatedBy?: string;
}

export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  /** Range of its document in `text`. */
  readonly start: number;
  readonly end: number;
  readonly origin?: RenderedOrigin;
}

export interface KustomizeRender {
  /** DIR, absolute and canonical. */
  readonly dir: string;
  readonly tool: KustomizeTool;
  /** The rendered stream (what `kustomize build DIR` prints), without the annotations added here. */
  readonly text: string;
  readonly objects: readonly RenderedObject[];
  /** What kustomize printed on stderr (deprecation warnings), one entry per line. */
  readonly warnings: readonly string[];
  /** The files the walk read (kustomizations and resources), absolute paths. */
  readonly files: readonly KustomizeInputFile[];
  /** The in-process subset's view of the same tree (root DIR): used for the mapping, and to compare. */
  readonly resolution: KustomizeResolution;
}

const ORIGIN = 'config.kubernetes.io/origin';

/** The absolute path of `name` (an executable file) in one of `dirs`, or undefined. */
export function findExecutable(dirs: readonly string[], name: string): string | undefined {
  const file = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of dirs) {
    const candidate = join(dir, file);
    try {
      if (!statSync(candidate).isFile()) continue;
      if (process.platform !== 'win32') accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** kubectl (which ships kustomize), else a kustomize binary, from PATH entries outside `untrusted`. */
export function findKustomizeTool(untrusted: readonly string[], env: NodeJS.ProcessEnv = process.env): KustomizeTool | undefined {
  const dirs = safePathDirs(untrusted, env);
  for (const kind of ['kubectl', 'kustomize'] as const) {
    const program = findExecutable(dirs, kind);
    if (program) return { program, kind };
  }
  return undefined;
}

/** The command line: plugins, exec functions, Helm and function networking off, the default load restrictor. */
export function kustomizeArgs(tool: KustomizeTool, dir: string): string[] {
  const common = ['--enable-alpha-plugins=false', '--enable-helm=false', '--load-restrictor=LoadRestrictionsRootOnly', '--network=false'];
  // kubectl's kustomize has no exec functions at all (and no flag for them).
  return tool.kind === 'kubectl' ? ['kustomize', dir, ...common] : ['build', dir, ...common, '--enable-exec=false'];
}

/**
 * Renders DIR with the real kustomize (see the module comment for what is refused and how it
 * runs). Throws KustomizeRenderError with a message for the user.
 */
export function renderKustomize(dir: string, options: RenderOptions = {}): KustomizeRender {
  const limits = { ...RENDER_LIMITS, ...options.limits };
  let root = realPath(resolve(dir));
  // The kustomization file itself names its folder.
  if (root && isFile(root) && KUSTOMIZATION_FILE_NAMES.some((n) => root!.endsWith(`${sep}${n}`))) root = dirname(root);
  if (!root || !isDirectory(root)) throw new KustomizeRenderError(`${dir} is not a folder`);
  const walk = walkTree(root, limits);
  const tool = options.tool ?? findKustomizeTool([...(options.untrusted ?? []), root], options.env ?? process.env);
  if (!tool) {
    throw new KustomizeRenderError(
      'neither kubectl nor kustomize was found on PATH (only absolute PATH entries outside the workspace are used): install kubectl (it includes kustomize) or kustomize to render with --kustomize',
    );
  }
  const resolution = resolveKustomizations(walk.files, { roots: [root] });

  const tmp = realPath(mkdtempSync(join(tmpdir(), 'netpol-kustomize-')));
  if (!tmp) throw new KustomizeRenderError('could not create a temporary folder');
  try {
    const wrapper = join(tmp, 'wrapper');
    const home = join(tmp, 'home');
    const emptyPath = join(tmp, 'no-programs');
    for (const d of [wrapper, home, emptyPath]) mkdirSync(d);
    const target = relative(wrapper, root);
    if (isAbsolute(target)) throw new KustomizeRenderError(`${root} cannot be named relative to the temporary folder ${tmp} (another drive?)`);
    const ref = target.split(sep).join('/');
    // JSON is YAML: no quoting questions for the path.
    writeFileSync(
      join(wrapper, 'kustomization.yaml'),
      `${JSON.stringify({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        [walk.topKind === 'Component' ? 'components' : 'resources']: [ref],
        buildMetadata: [...new Set(['originAnnotations', ...walk.topBuildMetadata])],
      })}\n`,
    );
    const kubeconfig = join(home, 'kubeconfig');
    writeFileSync(kubeconfig, NO_CLUSTER_KUBECONFIG);
    const run = spawnSync(tool.program, kustomizeArgs(tool, wrapper), {
      cwd: wrapper,
      env: childEnv({ home, kubeconfig, path: emptyPath, tmp }),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: options.maxOutputBytes ?? 64 * 1024 * 1024,
      timeout: options.timeoutMs ?? 60_000,
      killSignal: 'SIGKILL',
      windowsHide: true,
    });
    const command = tool.kind === 'kubectl' ? 'kubectl kustomize' : 'kustomize build';
    if (run.error || run.status !== 0) {
      throw new KustomizeRenderError(`${command} ${dir}: ${failure(run, wrapper, ref, root)}`);
    }
    const warnings = String(run.stderr ?? '').split(/\r?\n/).map((l) => l.replace(/^#\s*/, '').trim()).filter((l) => l !== '');
    return {
      dir: root,
      tool,
      ...splitRendered(run.stdout, wrapper, !walk.topBuildMetadata.includes('originAnnotations'), resolution, walk.files),
      warnings,
      files: walk.files,
      resolution,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A kubeconfig whose cluster cannot be reached without any network use (no DNS, no socket). */
const NO_CLUSTER_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: none
    cluster:
      server: unix:///netpol-no-cluster
contexts:
  - name: none
    context:
      cluster: none
current-context: none
`;

/** Nowhere: a download that got this far fails at once on the loopback interface. */
const NO_PROXY_TARGET = 'http://127.0.0.1:0';

function childEnv(p: { home: string; kubeconfig: string; path: string; tmp: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: p.path,
    HOME: p.home,
    USERPROFILE: p.home,
    XDG_CONFIG_HOME: p.home,
    XDG_CACHE_HOME: p.home,
    KUBECONFIG: p.kubeconfig,
    KUSTOMIZE_PLUGIN_HOME: join(p.home, 'no-plugins'),
    TMPDIR: p.tmp,
    TMP: p.tmp,
    TEMP: p.tmp,
    HTTP_PROXY: NO_PROXY_TARGET,
    HTTPS_PROXY: NO_PROXY_TARGET,
    ALL_PROXY: NO_PROXY_TARGET,
    http_proxy: NO_PROXY_TARGET,
    https_proxy: NO_PROXY_TARGET,
    all_proxy: NO_PROXY_TARGET,
    GIT_ALLOW_PROTOCOL: 'none',
    GIT_TERMINAL_PROMPT: '0',
  };
  // Windows programs need these to start at all.
  for (const k of ['SystemRoot', 'SYSTEMROOT', 'windir']) if (process.env[k]) env[k] = process.env[k];
  return env;
}

/** A failed run as one line for the user: kubectl's log prefix and the wrapper's layer of the message dropped. */
function failure(run: { error?: Error; signal?: NodeJS.Signals | null; stderr?: string | null }, wrapper: string, ref: string, root: string): string {
  const code = (run.error as { code?: string } | undefined)?.code;
  if (code === 'ENOBUFS') return 'kustomize printed more than the size limit and was stopped';
  if (code === 'ETIMEDOUT' || (run.error === undefined && run.signal === 'SIGKILL')) return 'kustomize took too long and was stopped';
  if (run.error) return `could not run it (${code ?? run.error.message})`;
  const lines = String(run.stderr ?? '').split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('# Warning'));
  let line = lines[lines.length - 1] ?? 'failed without a message';
  line = line.replace(/^E\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] "command failed" err=/, '').replace(/^Error: /, '');
  if (line.startsWith('"') && line.endsWith('"')) {
    try {
      line = JSON.parse(line) as string;
    } catch {
      // Keep it as printed.
    }
  }
  line = line.split(wrapper).join('(wrapper)').split(`'${ref}'`).join(`'${root}'`);
  // The wrapper's own layer: "accumulating resources: accumulation err='accumulating resources
  // from 'DIR': 'DIR' must resolve to a file': recursed accumulation of path 'DIR': <the error>".
  const layer = `accumulating resources: accumulation err='accumulating resources from '${root}': '${root}' must resolve to a file': `;
  if (line.startsWith(layer)) {
    line = line.slice(layer.length);
    for (const p of [`recursed accumulation of path '${root}': `, `couldn't make target for path '${root}': `]) if (line.startsWith(p)) line = line.slice(p.length);
  }
  return line;
}

interface Walk {
  readonly files: KustomizeInputFile[];
  readonly topKind: 'Kustomization' | 'Component';
  readonly topBuildMetadata: readonly string[];
}

/**
 * Reads the kustomization tree under `root` (kustomization files, and the resource files they
 * list, for the origin mapping) and refuses what would reach out of the machine or run a
 * program. Paths are joined as kustomize joins them (lexically from the canonical DIR).
 */
function walkTree(root: string, limits: RenderLimits): Walk {
  const files: KustomizeInputFile[] = [];
  const seenFiles = new Set<string>();
  let total = 0;
  const read = (path: string, what: string): string | undefined => {
    if (seenFiles.has(path)) return undefined;
    seenFiles.add(path);
    if (files.length >= limits.maxFiles) throw new KustomizeRenderError(`the kustomization tree under ${root} names more than ${limits.maxFiles} files: not rendered`);
    const real = realPath(path);
    if (!real) return undefined;
    const r = readRegularFile(real, limits.maxFileBytes);
    if (!r.ok) {
      if (what === 'kustomization') throw new KustomizeRenderError(`${path}: ${r.reason}: not rendered (its references cannot be checked)`);
      return undefined;
    }
    total += r.bytes;
    if (total > limits.maxTotalBytes) throw new KustomizeRenderError(`the kustomization tree under ${root} is larger than the read limit: not rendered`);
    files.push({ path, text: r.text });
    return r.text;
  };
  const seenDirs = new Set<string>();
  const queue = [root];
  let topKind: 'Kustomization' | 'Component' = 'Kustomization';
  let topBuildMetadata: readonly string[] = [];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    if (seenDirs.has(dir)) continue;
    seenDirs.add(dir);
    const name = KUSTOMIZATION_FILE_NAMES.find((n) => isFile(join(dir, n)));
    if (!name) {
      if (dir === root) throw new KustomizeRenderError(`${root} has no kustomization.yaml, kustomization.yml or Kustomization`);
      continue; // kustomize reports it.
    }
    const file = join(dir, name);
    const text = read(file, 'kustomization') ?? '';
    const k = parseKustomization(file, text, dir);
    if (dir === root) {
      topKind = k.kind;
      topBuildMetadata = k.buildMetadata;
    }
    const refuse = (what: string, ref: string): never => {
      throw new KustomizeRenderError(`${file}: ${what} ${ref} is remote: NetPol never fetches remote bases or files; render it yourself (kustomize build) and check the output, or vendor it into the repository`);
    };
    for (const ref of k.resources) {
      const path = resolve(dir, ref.ref.trim());
      if (isRemoteFile(ref.ref)) refuse(ref.field, ref.ref);
      refuseSpecial(path, file);
      if (isFile(path)) {
        read(path, 'resource');
        continue;
      }
      if (remoteReference(ref.ref)) refuse(ref.field, ref.ref);
      if (isDirectory(path)) queue.push(path);
    }
    for (const ref of k.components) {
      if (remoteReference(ref.ref)) refuse('component', ref.ref);
      const path = resolve(dir, ref.ref.trim());
      refuseSpecial(path, file);
      if (isDirectory(path)) queue.push(path);
    }
    for (const f of remoteNamedFiles(k)) refuse(f.field, f.ref);
    for (const f of k.namedFiles) refuseSpecial(resolve(dir, f.ref.trim()), file);
    if (k.helm) throw new KustomizeRenderError(`${file}: Helm charts (helmCharts) would run helm: NetPol never does; render the chart yourself (helm template) and analyse the output`);
    if (k.plugins) throw new KustomizeRenderError(`${file}: a generator, transformer or validator plugin: NetPol never runs kustomize plugins`);
    // Generator and plugin config files may be kustomization folders themselves.
    for (const f of k.namedFiles) {
      if (f.role !== 'config' || !['generators', 'transformers', 'validators'].includes(f.field)) continue;
      const path = resolve(dir, f.ref.trim());
      if (isDirectory(path)) queue.push(path);
      else if (isFile(path)) checkPluginConfig(path, read(path, 'resource'), file);
    }
  }
  return { files, topKind, topBuildMetadata };
}

/** A plugin config file must name a built-in (apiVersion builtin) that runs nothing and downloads nothing. */
function checkPluginConfig(path: string, text: string | undefined, from: string): void {
  if (text === undefined) return;
  for (const doc of parseAllDocuments(text)) {
    let config: unknown;
    try {
      config = doc.toJS({ maxAliasCount: 100 });
    } catch {
      continue; // kustomize reports it.
    }
    const scan = scanPluginConfig(config);
    const apiVersion = (config as { apiVersion?: unknown } | null)?.apiVersion;
    if (scan.plugin) throw new KustomizeRenderError(`${from}: ${path} configures a plugin (apiVersion ${String(apiVersion)}): NetPol never runs kustomize plugins`);
    if (scan.helm) throw new KustomizeRenderError(`${from}: ${path} inflates a Helm chart, which would run helm: NetPol never does; render the chart yourself (helm template) and analyse the output`);
    const remote = scan.paths.find((p) => isRemoteFile(p) || remoteReference(p) !== undefined);
    if (remote !== undefined) throw new KustomizeRenderError(`${from}: ${path} names ${remote}, which is remote: NetPol never fetches remote files`);
  }
}

/**
 * A FIFO or a device named by a kustomization: kustomize would block reading it (until the
 * timeout) or read without end. Refused before it runs.
 */
function refuseSpecial(path: string, from: string): void {
  let st;
  try {
    st = statSync(path);
  } catch {
    return;
  }
  if (!st.isFile() && !st.isDirectory()) throw new KustomizeRenderError(`${from}: ${path} is not a regular file or a folder (a FIFO, a socket or a device): not rendered`);
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The rendered stream, one document per object, with each object's origin mapped to a file
 * of the walk (and a document in it, where the subset's prediction tells it apart).
 */
function splitRendered(
  stdout: string,
  wrapper: string,
  stripOrigin: boolean,
  resolution: KustomizeResolution,
  files: readonly KustomizeInputFile[],
): { text: string; objects: RenderedObject[] } {
  const known = new Set(files.map((f) => f.path));
  const objects: RenderedObject[] = [];
  let text = '';
  for (const doc of parseAllDocuments(stdout)) {
    if (doc.contents === null) continue;
    const originText = doc.getIn(['metadata', 'annotations', ORIGIN]);
    if (stripOrigin && originText !== undefined) {
      doc.deleteIn(['metadata', 'annotations', ORIGIN]);
      const ann = doc.getIn(['metadata', 'annotations'], true);
      if (isMap(ann) && ann.items.length === 0) doc.deleteIn(['metadata', 'annotations']);
    }
    const str = (path: string[]): string | undefined => {
      const v = doc.getIn(path, true);
      return isScalar(v) && typeof v.value === 'string' ? v.value : undefined;
    };
    const kind = str(['kind']) ?? '';
    const name = str(['metadata', 'name']);
    const namespace = str(['metadata', 'namespace']);
    // Our own separators join the documents (a document's own `---` would double them).
    doc.directives.docStart = null;
    const body = doc.toString({ lineWidth: 0 });
    const start = text.length;
    text += (start > 0 ? '---\n' : '') + body;
    objects.push({
      apiVersion: str(['apiVersion']) ?? '',
      kind,
      name,
      namespace,
      start: start > 0 ? start + 4 : start,
      end: text.length,
      origin: typeof originText === 'string' ? mapOrigin(originText, wrapper, known, resolution, { kind, name, namespace }) : undefined,
    });
  }
  return { text, objects };
}

function mapOrigin(
  annotation: string,
  wrapper: string,
  known: ReadonlySet<string>,
  resolution: KustomizeResolution,
  rendered: { kind: string; name: string | undefined; namespace: string | undefined },
): RenderedOrigin | undefined {
  let o: { path?: unknown; configuredIn?: unknown; repo?: unknown };
  try {
    o = parseYaml(annotation) as typeof o;
  } catch {
    return undefined;
  }
  if (!o || typeof o !== 'object' || o.repo !== undefined) return undefined;
  if (typeof o.configuredIn === 'string') {
    const file = resolve(wrapper, o.configuredIn);
    return known.has(file) ? { file, generatedBy: file } : undefined;
  }
  if (typeof o.path !== 'string') return undefined;
  const file = resolve(wrapper, o.path);
  if (!known.has(file)) return { file };
  // The document: the one the subset predicts with this kind, namespace and name; else with
  // this kind and name (a patch moved it); else the only one of this kind in the file.
  const inFile = resolution.objects.filter((x) => x.source.file === file);
  const sources = (list: typeof inFile): SourceObject[] => [...new Map(list.map((x) => [`${x.source.documentIndex}/${x.source.itemPath.join('/')}`, x.source])).values()];
  const tiers = [
    inFile.filter((x) => x.kind === rendered.kind && x.name === rendered.name && x.namespace === rendered.namespace),
    inFile.filter((x) => x.kind === rendered.kind && x.name === rendered.name),
    inFile.filter((x) => x.source.kind === rendered.kind),
  ];
  const candidates = tiers.map(sources).find((c) => c.length > 0) ?? [];
  return candidates.length === 1 ? { file, source: candidates[0] } : { file };
}

/** The rendered objects grouped by source file (objects without a known origin under DIR itself). */
export function renderedBySource(render: KustomizeRender): Map<string, RenderedObject[]> {
  const out = new Map<string, RenderedObject[]>();
  for (const o of render.objects) {
    const key = o.origin?.file ?? render.dir;
    const list = out.get(key) ?? [];
    list.push(o);
    out.set(key, list);
  }
  return out;
}

/** Which rendered object holds `offset` of the stream. */
export function renderedAt(render: KustomizeRender, offset: number): RenderedObject | undefined {
  return render.objects.find((o) => offset >= o.start && offset < o.end);
}

