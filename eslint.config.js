import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

// Import rules of ARCHITECTURE.md: folder = runtime. Each block lists what a folder may NOT import.
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noElectron = { name: 'electron', message: 'Only electron/main/shell, electron/main/index.ts and the preload may import electron.' };
const restrict = (paths, patterns) => ['error', { paths, patterns }];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', '.tmp/**', 'test-results/**', 'playwright-report/**', 'bench/data/**', 'tests/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': restrict(
        [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'shared/ runs everywhere: no Node built-ins.' }))],
        [{ group: ['**/electron/**', '**/renderer/**', 'react', 'react-dom'], message: 'shared/ imports nothing of ours outside shared/.' }],
      ),
    },
  },
  {
    files: ['electron/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([noElectron], [
        { group: ['electron', 'electron/*'], message: noElectron.message },
        { group: ['**/shell/**', '**/host/**', '**/sandbox/**', '**/renderer/**', '**/preload/**'], message: 'core imports only shared/ and Node.' },
      ]),
    },
  },
  {
    files: ['electron/main/host/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([noElectron], [
        { group: ['electron', 'electron/*'], message: noElectron.message },
        { group: ['**/shell/**', '**/renderer/src/**', '**/preload/**'], message: 'host imports core, sandbox and shared only.' },
      ]),
    },
  },
  {
    files: ['electron/main/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([noElectron], [
        { group: ['electron', 'electron/*'], message: noElectron.message },
        { group: ['**/core/**', '**/shell/**', '**/host/**', '**/renderer/**', '**/preload/**'], message: 'The simulator stands apart from the client it tests: it imports shared/ only.' },
      ]),
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([], [
        { group: ['**/main/**', '**/renderer/**', '**/shared/domain/**'], message: 'The preload imports electron and type-only shared/ipc.' },
      ]),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': restrict(
        [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a browser: no Node built-ins.' }))],
        [{ group: ['electron', 'electron/*', '**/electron/**'], message: 'The renderer imports shared/ only.' }],
      ),
    },
  },
);
