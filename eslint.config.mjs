import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

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
    // The analysis core is pure: no editor, no LSP, no file system. The server and the
    // CLI adapt it; keeping it pure lets both (and tests) drive it with plain strings.
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'vscode', 'child_process', 'node:child_process'],
        patterns: ['vscode-languageserver*', 'vscode-languageclient*', 'vscode-jsonrpc*', '**/cli/**', '**/lsp/**'],
      }],
    },
  },
  {
    // The client knows the server by its protocol only (test/unit/client/imports.test.ts).
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
