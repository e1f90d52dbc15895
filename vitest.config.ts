import { defineConfig } from 'vitest/config';

// Unit and integration tests only; Playwright specs live in test/e2e and run under `playwright test`.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
