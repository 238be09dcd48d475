import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The backends' suites run one after the other: fault and time-out tests measure real time.
    fileParallelism: false,
  },
});
