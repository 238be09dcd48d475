import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Every test has a deadline, so a hang fails with a name instead of holding CI.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    // The backends' suites run one after the other: fault and time-out tests measure real time.
    fileParallelism: false,
    // A reply the protocol does not allow throws in tests, where in use it is a warning.
    env: { MTL_STRICT_PROTOCOL: '1' },
  },
});
