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

/** Domain code stays host-free: managers and integrations never reach into a host. */
const noHostImports = {
  regex: '^(\\.\\./)+(src-main/)?(server|electron)(/|$)',
  message: 'src-main/modules and src-main/integrations must not import a host (src-main/server, src-main/electron).',
};

const noMainImports = {
  regex: '(^|/)src-main(/|$)',
  message: 'src-renderer talks to the hub only through the IPC contract in src-shared; it never imports src-main.',
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
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: {
      parserOptions: {
        project: ['./tsconfig.node.json', './tsconfig.web.json', './tsconfig.bench.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // A dropped promise hides its failure; a promise where a callback's result is ignored runs unawaited.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },
  {
    // The layering test lints code that is not on disk, so there is no program to type it against.
    files: ['**/lint-probe.ts', '**/lint-probe.tsx'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', { ...electronOnlyInElectronFolder, patterns: [...electronOnlyInElectronFolder.patterns, noMainImports] }],
    },
  },
  {
    files: ['src-main/modules/**', 'src-main/integrations/**'],
    rules: {
      'no-restricted-imports': ['error', { ...electronOnlyInElectronFolder, patterns: [...electronOnlyInElectronFolder.patterns, noHostImports] }],
    },
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
