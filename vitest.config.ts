import {defineConfig} from 'vitest/config'

// Two projects: fast unit tests, and end-to-end tests that start real servers and a real
// Chromium. They run one after the other (see `npm test`) so the browser tests get the CPU.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.{ts,tsx}', '{rules,schemas,plugins,lake,queries,site,scripts}/**/*.test.{ts,tsx}'],
          exclude: ['tests/e2e/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.{ts,tsx}'],
          // Starts one seeded local Content Lake and builds and serves the Studio against it.
          globalSetup: ['tests/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
})
