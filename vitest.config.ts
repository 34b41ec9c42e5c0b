import {defineConfig} from 'vitest/config'

// Three projects: fast unit tests; the lake under attack, which times the lake's answers and so
// runs alone; end-to-end tests that start real servers and a real Chromium. They run one after
// the other (see `npm test`) so the timed and the browser tests get the CPU.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/**/*.test.{ts,tsx}', '{rules,schemas,plugins,lake,queries,site,scripts}/**/*.test.{ts,tsx}'],
          exclude: ['tests/e2e/**', 'tests/attack/**', 'node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'attack',
          include: ['tests/attack/**/*.test.ts'],
          fileParallelism: false,
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
