// npm run docs: writes docs/rules/README.md from the rule catalog (core/catalog.ts) with
// core/ide/formats/rule-table.ts. test/rules/readme.test.ts fails while the file is stale.
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { outputFiles } = await build({
  stdin: { contents: "export { RULES, formatRuleTable } from './server/src/core';", resolveDir: process.cwd(), loader: 'ts' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
  logLevel: 'warning',
});
const module = { exports: {} };
new Function('module', 'exports', 'require', outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
const { RULES, formatRuleTable } = module.exports;
writeFileSync('docs/rules/README.md', formatRuleTable(RULES));
console.log(`docs/rules/README.md: ${RULES.length} rules`);
