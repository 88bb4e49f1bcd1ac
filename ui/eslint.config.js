// The UI's lint rules: ESLint's and typescript-eslint's recommended sets, and Svelte's
// (which knows runes and {@html}). Formatting is Prettier's job (`npm run format`).
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'src/ipc/bindings.ts', 'src/ipc/models-bindings.ts'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser } },
    // A parameter a signature requires but the body does not use is named _like_this.
    rules: { '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }] },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    // The end-to-end suite and the config files run in Node.
    files: ['e2e/**/*.mjs', '*.js', '*.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);
