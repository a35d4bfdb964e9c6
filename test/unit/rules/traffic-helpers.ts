/**
 * Runs one traffic rule over in-memory files and reads its findings back as
 * `file:line:col-col path: message`, so a test can state where and what.
 */
import { analyze, type AnalyzeOptions } from '../../../server/src/core/analysis/analyze';
import type { SourceFile } from '../../../server/src/core/manifest/load';
import { ruleById } from '../../../server/src/core/rules/catalog';
import { runRules } from '../../../server/src/core/rules/run';
import type { RuleOptions } from '../../../server/src/core/rules/types';
import { LineIndex } from '../../../server/src/core/base/span';
import type { Finding } from '../../../server/src/core/lint/rule';

export interface Located extends Finding {
  /** `file:line:startCol-endCol` (1-based line, 0-based columns), and the marked text. */
  readonly at: string;
  readonly text: string;
}

export function runRule(
  id: string,
  input: string | readonly SourceFile[],
  options: { analyze?: AnalyzeOptions; rules?: Partial<RuleOptions> } = {},
): Located[] {
  const files = typeof input === 'string' ? [{ path: 'manifests.yaml', text: input }] : input;
  const rule = ruleById(id);
  if (!rule) throw new Error(`no rule ${id}`);
  const texts = new Map(files.map((f) => [f.path, f.text]));
  return runRules(analyze(files, options.analyze), { rules: [rule], options: options.rules }).map((f) => {
    const text = texts.get(f.span.file) ?? '';
    const idx = new LineIndex(text);
    const s = idx.positionAt(f.span.start);
    const e = idx.positionAt(f.span.end);
    return { ...f, at: `${f.span.file}:${s.line + 1}:${s.character}-${e.character}`, text: text.slice(f.span.start, f.span.end) };
  });
}
