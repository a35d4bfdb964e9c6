import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * The house plan while one types (docs/architecture.md; test/architecture.test.ts is the
 * authority and also counts `import type`): each layer of the core imports its own or
 * lower ones, the core imports no editor, LSP or file system module, outside the core
 * only core/index.ts, and the client of the server only its protocol.
 */
const LAYERS = ['base', 'yaml', 'k8s', 'manifest', 'lint', 'validate', 'model', 'reach', 'evidence', 'analysis', 'generate', 'rules', 'impact', 'fixes', 'ide'];
/** The core's top files: the API, above every layer. */
const API = ['catalog', 'workspace', 'index'];

/** The analysis core is pure: no editor, no LSP, no file system. The server and the CLI adapt it. */
const CORE_PATHS = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'vscode', 'child_process', 'node:child_process'];
const CORE_PATTERNS = [
  { group: ['vscode-languageserver*', 'vscode-languageclient*', 'vscode-jsonrpc*', '**/cli/**', '**/lsp/**', '**/node/**', '**/protocol'], message: 'The core is pure: the LSP, the CLI and node/ adapt it, not the other way round.' },
];

const layerConfigs = LAYERS.map((layer, i) => {
  const higher = [...LAYERS.slice(i + 1), ...API];
  return {
    files: [`server/src/core/${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: CORE_PATHS,
          patterns: [
            ...CORE_PATTERNS,
            { regex: `^(\\.\\./)+(${higher.join('|')})(/|$)`, message: `core/${layer} imports its own layer or lower ones: ${LAYERS.slice(0, i + 1).join(', ')}.` },
          ],
        },
      ],
    },
  };
});

/** Outside the core: only its API. */
const ONLY_CORE_INDEX = { regex: '(^|/)core/(?!index$).+', message: 'Outside the core, import core/index.ts only (the API).' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['server/src/core/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: CORE_PATHS, patterns: CORE_PATTERNS }] },
  },
  ...layerConfigs,
  {
    // lsp/ is the only folder that knows LSP.
    files: ['server/src/lsp/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ONLY_CORE_INDEX, { group: ['**/cli/**'], message: 'The LSP and the CLI are two surfaces of the core; neither imports the other.' }] }] },
  },
  {
    files: ['server/src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [ONLY_CORE_INDEX, { group: ['**/lsp/**', 'vscode-languageserver*', 'vscode-jsonrpc*'], message: 'lsp/ is the only folder that knows LSP.' }] },
      ],
    },
  },
  {
    files: ['server/src/node/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [ONLY_CORE_INDEX, { group: ['**/lsp/**', '**/cli/**', 'vscode-languageserver*', 'vscode-jsonrpc*'], message: 'node/ adapts the file system and git; it knows neither surface.' }] },
      ],
    },
  },
  {
    files: ['server/src/protocol.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '.*', message: 'protocol.ts imports nothing: the client shares it.' }] }] },
  },
  {
    // The client talks to the server over the protocol only. Besides protocol.ts it still
    // imports two core modules until the client's own branch lands (then remove them here
    // and from CLIENT_IMPORTS_PENDING in test/architecture.test.ts).
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)server/src/(?!protocol$).+', message: 'The client imports server/src/protocol.ts only.' }] },
      ],
    },
  },
  {
    // The client knows the server by its protocol only (test/client/imports.test.ts, test/architecture.test.ts).
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)server/(?!src/protocol(\\.ts)?$)', message: 'The client imports only server/src/protocol.ts of the server.' }] }],
    },
  },
  {
    // The webviews' scripts run in the page (a browser), with VS Code's acquireVsCodeApi;
    // of the extension they import only the view trees of client/src/webview/.
    files: ['client/media/**/*.js'],
    languageOptions: { globals: { ...globals.browser, acquireVsCodeApi: 'readonly' } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/src/views/**', '**/src/connection/**', 'vscode*', 'node:*'], message: 'A webview script imports client/media/ and client/src/webview/ only.' }] }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
