import { defineConfig } from 'vitest/config';

// Three kinds of tests (DESIGN.md "Tests"):
//  unit    — pure code on recorded fixtures, no root, parallel;
//  e2e     — real hosts of the lab (root, Linux), one lab shared, files in name order;
//  browser — the report in headless Chromium.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'],
          fileParallelism: false,
          globalSetup: ['test/helpers/e2e-global.ts'],
          sequence: { sequencer: (await import('./test/helpers/by-name-sequencer.js')).BySequencer },
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
