import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { minimatch } from 'minimatch';

/** Folders never scanned: dependencies and VCS metadata hold no manifests of the user's. */
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface ScanOptions {
  /** Glob patterns relative to the root (`files.exclude` style: `**\/charts/**`). */
  readonly exclude: readonly string[];
  readonly maxFiles: number;
  readonly maxFileBytes: number;
}

export interface ScanResult {
  readonly files: { path: string; text: string }[];
  /** Messages for the user: caps hit, files too large or unreadable. */
  readonly messages: string[];
}

/** Finds the workspace's YAML files (`*.yaml`, `*.yml`) under a root, within the caps. */
export function scanYamlFiles(root: string, options: ScanOptions): ScanResult {
  const files: { path: string; text: string }[] = [];
  const messages: string[] = [];
  let capped = false;
  const excluded = (path: string) => {
    const rel = relative(root, path).split(sep).join('/');
    return options.exclude.some((g) => minimatch(rel, g, { dot: true }) || minimatch(`${rel}/`, g, { dot: true }));
  };
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (capped) return;
      if (ALWAYS_SKIPPED.has(name)) continue;
      const path = join(dir, name);
      if (excluded(path)) continue;
      let st;
      try {
        st = statSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        walk(path);
      } else if (/\.ya?ml$/i.test(name)) {
        if (files.length >= options.maxFiles) {
          capped = true;
          messages.push(`NetPol: more than ${options.maxFiles} YAML files under ${root}; only the first ${options.maxFiles} are analysed (setting netpol.maxFiles).`);
          return;
        }
        if (st.size > options.maxFileBytes) {
          messages.push(`NetPol: ${path} is ${Math.ceil(st.size / 1024)} KB, over the ${Math.round(options.maxFileBytes / 1024)} KB limit (setting netpol.maxFileSizeKB): not analysed.`);
          continue;
        }
        try {
          const buf = readFileSync(path);
          if (!buf.subarray(0, 8192).includes(0)) files.push({ path, text: buf.toString('utf8') });
        } catch {
          messages.push(`NetPol: cannot read ${path}.`);
        }
      }
    }
  };
  walk(root);
  return { files, messages };
}
