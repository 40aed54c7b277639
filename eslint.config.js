// Process boundaries are enforced here, not remembered:
// - renderer/ is browser code: no Node built-ins, no Electron, no main-side modules;
// - electron/core and electron/ipc are pure: importable by every process;
// - only electron/app/ (the thin wiring) may import 'electron', so every other
//   module loads under plain Node, where require('electron') throws.
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'http', 'https', 'net', 'crypto', 'stream', 'url', 'util', 'events'];
const nativeOrMain = ['better-sqlite3', 'onnxruntime-node', 'sharp', '@huggingface/transformers'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', '.venv-parity/**', 'test/fixtures/**', 'models/export/**', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      // Type-aware rules, each file checked against the tsconfig that includes it
      // (tsconfig.json references the node and web projects).
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // A promise nobody awaits loses its rejection. Where dropping one is meant
      // (an event handler starting work), `void promise` says so.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `void` on a value that is not a promise silences nothing: it only hides what the code does.
      '@typescript-eslint/no-meaningless-void-operator': 'error',
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: "Only electron/app/ may import 'electron' (tests run without the binary)." }] }],
    },
  },
  {
    // Plain-JS scripts and their hand-written .d.mts belong to no tsconfig: lint them without types.
    files: ['**/*.js', '**/*.mjs', '**/*.d.mts'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['electron/app/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['electron/core/**', 'electron/ipc/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...nodeBuiltins, ...nativeOrMain, 'electron', 'react', 'konva'], message: 'electron/core and electron/ipc are pure and shared with the renderer.' },
      ] }],
    },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      // 'electron' as a path, not a pattern: a pattern would also match the allowed '../electron/core/...' imports.
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The renderer is sandboxed browser code; reach main through window.egm.' }], patterns: [
        { group: [...nodeBuiltins, ...nativeOrMain], message: 'The renderer is sandboxed browser code; reach main through window.egm.' },
        { group: ['**/electron/*', '!**/electron/core', '!**/electron/core/*', '!**/electron/ipc', '!**/electron/ipc/*'], message: 'The renderer may import only electron/core and electron/ipc.' },
      ] }],
    },
  },
  {
    // renderer/src/lib holds the renderer's own pure rules (handles, field undo, transcript text, filters):
    // no UI, no state, no main; unit-testable like electron/core.
    files: ['renderer/src/lib/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: [...nodeBuiltins, ...nativeOrMain, 'electron', 'react', 'react-dom', 'react-konva', 'konva', 'zustand', '../*', '!../lib'], message: 'renderer/src/lib is pure: it may import @core, @ipc and other lib files only.' },
      ] }],
    },
  },
);
