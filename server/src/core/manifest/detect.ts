/** What a text is before it is parsed: a Helm template (not ours to read), or meant to hold Kubernetes objects. */

/**
 * Words only Helm's templates use: its built-in objects and the functions charts are
 * written with. Prometheus alert texts (`{{ $labels.instance }}`, `{{ humanize $value }}`)
 * and Grafana legends (`{{pod}}`) use none of them.
 */
const HELM_WORDS = /\.(?:Values|Release|Chart|Capabilities|Files)\b|\binclude\s+\\?["']|\b(?:toYaml|nindent|fromYaml)\b/;

/**
 * Whether a file is a Helm template, which is not YAML until `helm template` renders it:
 * - `chartTemplate`: the chart layout says so (a file under `templates/` beside a
 *   Chart.yaml or values.yaml, see chartTemplates);
 * - a template action where YAML has no string (`{{- if …}}` on its own line,
 *   `image: {{ … }}`, a templated key or list item), or with Helm's words in a plain value
 *   (`image: repo:{{ .Values.tag }}`);
 * - Helm's own words in a template inside a quoted string (`name: "{{ .Release.Name }}-db"`).
 * Other `{{ … }}` inside quoted or block strings is text of plain YAML: PrometheusRule
 * alerts, Grafana dashboards, a ConfigMap holding a Go template (block strings are data
 * even when they hold Helm's words: istio's injection template is a ConfigMap).
 */
export function isHelmTemplate(text: string, chartTemplate = false): boolean {
  const first = text.indexOf('{{');
  if (first < 0) return false;
  if (chartTemplate) return true;
  return templateOutsideStrings(text);
}

/**
 * Walks the lines (from the top: a string may open lines before the first `{{`): block
 * scalars are skipped, quoted strings are looked into for Helm's words, and a `{{` left
 * outside them is a template action.
 */
function templateOutsideStrings(text: string): boolean {
  let pos = 0;
  // The indentation a block scalar's lines must exceed; -1 outside one.
  let blockIndent = -1;
  // A quoted string that goes on to the next line.
  let open: Quote | undefined;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    const indent = line.search(/\S/);
    if (blockIndent >= 0) {
      if (indent < 0 || indent > blockIndent) continue;
      blockIndent = -1;
    }
    if (indent < 0 && !open) continue;
    const split = splitQuotes(line, open);
    open = split.open;
    // An action where YAML has no string: before any word of the line (its start, a list
    // item, a flow collection), at the start of a value, or with Helm's words.
    const code = split.outside;
    if (code.includes('{{') && (/^[^\w'"]*\{\{|:\s+\{\{/.test(code) || HELM_WORDS.test(code))) return true;
    if (split.quoted.some((q) => q.includes('{{') && HELM_WORDS.test(q))) return true;
    // `key: |`, `key: >-`, `- |2`: the lines below that are indented deeper are the string.
    if (!open && /(?:^|[:-]\s)\s*[|>][-+0-9]*\s*$/.test(split.outside.trimEnd())) blockIndent = indent;
  }
  return false;
}

type Quote = '"' | "'";

/**
 * A line split into what is outside quoted strings (comments dropped) and the strings'
 * contents; `open`: the quote a string of an earlier line is still in, and the one this
 * line leaves open.
 */
function splitQuotes(line: string, open: Quote | undefined): { outside: string; quoted: string[]; open: Quote | undefined } {
  let outside = '';
  const quoted: string[] = [];
  let i = 0;
  let quote = open;
  let body = '';
  while (i < line.length) {
    const c = line[i];
    if (quote) {
      if (quote === '"' && c === '\\') {
        body += line.slice(i, i + 2);
        i += 2;
      } else if (c === quote && quote === "'" && line[i + 1] === "'") {
        body += "'";
        i += 2;
      } else if (c === quote) {
        quoted.push(body);
        body = '';
        quote = undefined;
        outside += ' ';
        i++;
      } else {
        body += c;
        i++;
      }
      continue;
    }
    // A quote opens a string only where a scalar may start (not inside a plain word: `it's`).
    if ((c === '"' || c === "'") && (i === 0 || /[\s:[{,-]/.test(line[i - 1]))) {
      quote = c;
      i++;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) break;
    outside += c;
    i++;
  }
  if (quote) quoted.push(body);
  return { outside, quoted, open: quote };
}

/**
 * The files a chart layout makes Helm templates: those under a `templates/` folder whose
 * parent holds a Chart.yaml or a values.yaml. Paths or URIs, `/` or `\` separated.
 */
export function chartTemplates(paths: Iterable<string>): Set<string> {
  const all = [...paths];
  const known = new Set(all.map((p) => p.replace(/\\/g, '/')));
  const out = new Set<string>();
  for (const p of all) {
    const norm = p.replace(/\\/g, '/');
    const at = norm.lastIndexOf('/templates/');
    if (at < 0) continue;
    const chart = norm.slice(0, at);
    if (known.has(`${chart}/Chart.yaml`) || known.has(`${chart}/values.yaml`)) out.add(p);
  }
  return out;
}

// (Blanks, not \s: `\s*` would also eat line breaks, and retry from every line of a long blank run.)
export const LOOKS_KUBERNETES = /^[ \t]*(apiVersion|kind)[ \t]*:/m;
