import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores in CI: keep workers few so the browser and SQLite tests don't starve each other.
    maxWorkers: 2,
    pool: 'forks',
  },
});
