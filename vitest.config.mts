import { defineConfig } from 'vitest/config';

// Tests run in Node. Renderer components are rendered to strings, so only their JSX needs compiling.
export default defineConfig({
  // Renderer component tests render Preact to strings.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // As in the Vite build (@preact/preset-vite): zustand's hooks import react, which is Preact here. zustand is
  // inlined so that the alias reaches its imports.
  resolve: { alias: { react: 'preact/compat' } },
  test: {
    environment: 'node',
    include: ['src-main/**/__tests__/**/*.test.ts', 'src-shared/**/__tests__/**/*.test.ts', 'src-renderer/**/__tests__/**/*.test.tsx'],
    testTimeout: 20_000,
    // Bundles the worker-thread entries (src-main/workers) for the hubs the tests build.
    globalSetup: ['scripts/vitest-build-workers.mjs'],
    server: { deps: { inline: ['zustand'] } },
    // better-sqlite3 is a native module: child processes rather than worker threads.
    pool: 'forks',
    // Keep the run readable: warnings and errors only, unless HI_LOG_LEVEL asks for more.
    env: { HI_LOG_LEVEL: process.env.HI_LOG_LEVEL ?? 'warn' },
  },
});
