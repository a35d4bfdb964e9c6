import type { Analysis, AnalyzeOptions } from '../core/analysis/analyze';
import { loadFile, type LoadedFile } from '../core/manifest/load';
import { buildModel } from '../core/model/build';
import { Reachability } from '../core/reach/engine';
import { ParseCache } from '../core/yaml/parse';
import { EDITOR_MAX_FULL_PARSE_LENGTH } from '../core/yaml/limits';

/**
 * The workspace as the server sees it: disk contents, overridden by open buffers.
 * Loading is cached twice: per file (same text, same LoadedFile) and per YAML
 * document (ParseCache), so an edit re-parses only the documents it touched.
 */
export class WorkspaceState {
  private readonly disk = new Map<string, string>();
  private readonly open = new Map<string, string>();
  private readonly loaded = new Map<string, { text: string; file: LoadedFile; maxLength?: number }>();
  private readonly cache = new ParseCache();
  private current: Analysis | undefined;
  private previousReach: Reachability | undefined;

  setDisk(uri: string, text: string): void {
    this.disk.set(uri, text);
    this.current = undefined;
  }

  deleteDisk(uri: string): void {
    this.disk.delete(uri);
    this.current = undefined;
  }

  setOpen(uri: string, text: string): void {
    this.open.set(uri, text);
    this.current = undefined;
  }

  close(uri: string): void {
    this.open.delete(uri);
    this.current = undefined;
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  /** The text the analysis uses: the open buffer wins over the disk. */
  text(uri: string): string | undefined {
    return this.open.get(uri) ?? this.disk.get(uri);
  }

  /** The file's text on disk as last read (its last saved version), whatever the editor holds. */
  diskText(uri: string): string | undefined {
    return this.disk.get(uri);
  }

  /** The open documents, sorted. */
  openUris(): string[] {
    return [...this.open.keys()].sort();
  }

  uris(): string[] {
    return [...new Set([...this.disk.keys(), ...this.open.keys()])].sort();
  }

  private currentOptions = '';

  analysis(options: AnalyzeOptions, maxLength?: number): Analysis {
    const optionsKey = JSON.stringify([options, maxLength]);
    if (this.current && this.currentOptions === optionsKey) return this.current;
    const files: LoadedFile[] = [];
    const live = new Set<string>();
    for (const uri of this.uris()) {
      const text = this.text(uri) ?? '';
      live.add(uri);
      const hit = this.loaded.get(uri);
      if (hit && hit.text === text && hit.maxLength === maxLength) {
        files.push(hit.file);
        continue;
      }
      // The editor reparses an edited document on every keystroke: its own bound for the full YAML parser.
      const file = loadFile({ path: uri, text }, this.cache, { maxLength, maxFullParseLength: EDITOR_MAX_FULL_PARSE_LENGTH });
      this.loaded.set(uri, { text, file, maxLength });
      files.push(file);
    }
    for (const uri of this.loaded.keys()) if (!live.has(uri)) this.loaded.delete(uri);
    const model = buildModel(files, options, this.previousReach?.model);
    // The previous reachability lends its class table and compiled policies when the
    // edit did not touch pods or namespaces.
    this.current = { files, model, reach: new Reachability(model, options, this.previousReach) };
    this.previousReach = this.current.reach;
    this.currentOptions = optionsKey;
    return this.current;
  }
}

