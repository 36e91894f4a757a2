import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'crypto', 'dns', 'events', 'fs', 'fs/promises', 'http', 'https', 'net', 'os',
  'path', 'process', 'stream', 'timers', 'tls', 'url', 'util', 'worker_threads', 'zlib',
];

/** DOM globals that platform-free code must not touch. */
const DOM_GLOBALS = [
  'window', 'document', 'navigator', 'location', 'localStorage', 'sessionStorage', 'HTMLElement', 'Element', 'Node',
  'Event', 'EventTarget', 'CustomEvent', 'WebSocket', 'fetch', 'XMLHttpRequest', 'requestAnimationFrame', 'DOMParser',
  'Blob', 'File', 'FileReader', 'Image', 'alert', 'confirm',
].map((name) => ({ name, message: 'src-shared is platform-free: no DOM globals.' }));

const electronOnlyInElectronFolder = {
  paths: [{ name: 'electron', message: 'Only src-main/electron/ may import electron; elsewhere it breaks Node tests.' }],
  patterns: [{ group: ['electron/*'], message: 'Only src-main/electron/ may import electron.' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', electronOnlyInElectronFolder],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['migrations/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src-main/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src-shared/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...electronOnlyInElectronFolder.paths,
            ...NODE_BUILTINS.map((name) => ({ name, message: 'src-shared is platform-free: no Node modules.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'src-shared is platform-free: no node: imports.' },
            ...electronOnlyInElectronFolder.patterns,
          ],
        },
      ],
      'no-restricted-globals': ['error', ...DOM_GLOBALS, { name: 'process', message: 'src-shared is platform-free.' }, { name: 'Buffer', message: 'src-shared is platform-free.' }, { name: '__dirname', message: 'src-shared is platform-free.' }],
    },
  },
);
