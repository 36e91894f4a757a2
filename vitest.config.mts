import { defineConfig } from 'vitest/config';

// Unit tests only (Node). The renderer's preact plugin stays out: nothing here renders.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src-main/**/__tests__/**/*.test.ts', 'src-shared/**/__tests__/**/*.test.ts'],
    testTimeout: 20_000,
    // better-sqlite3 is a native module: child processes rather than worker threads.
    pool: 'forks',
    // Keep the run readable: warnings and errors only, unless HI_LOG_LEVEL asks for more.
    env: { HI_LOG_LEVEL: process.env.HI_LOG_LEVEL ?? 'warn' },
  },
});
