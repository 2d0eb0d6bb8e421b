import { defineConfig } from 'vitest/config';

// Engine tests train real models on real data; give them room, and run files one
// at a time so two native engines do not fight over the machine's two cores.
export default defineConfig({
  test: {
    include: ['src-shared/**/*.test.ts', 'src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
    pool: 'forks',
    reporters: ['default', './vitest-summary-reporter.ts'],
  },
});
