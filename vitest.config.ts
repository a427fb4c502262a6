import { defineConfig } from 'vitest/config';

// Three kinds of tests (DESIGN.md "Tests"):
//  unit    — pure code on recorded fixtures, no root, parallel;
//  e2e     — real hosts of the lab (root, Linux), one lab shared, files in name order;
//  browser — the report in headless Chromium.
export default defineConfig({
  test: {
    // e2e files share one lab and must run in name order (01-lab … 07-playbook); a per-project
    // sequencer is ignored, so this one sorts every file by name (unit files do not care)
    sequence: { sequencer: (await import('./test/helpers/by-name-sequencer.js')).BySequencer },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // generous: unit files run beside the e2e project's lab on a 2-core machine
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/browser/**/*.test.ts'],
          fileParallelism: false,
          globalSetup: ['test/helpers/e2e-global.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
