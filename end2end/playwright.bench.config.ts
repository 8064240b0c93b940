import { defineConfig } from '@playwright/test';
import suite from './playwright.config';

// Benchmarks (`cargo xtask bench`), not tests: the same harness (a private Berth started by
// global setup, the admin signed in) and the same Chromium, but specs from bench/ whose figures
// are printed, never asserted. Results go under test-results/bench, leaving the suite's own.
export default defineConfig({
  ...suite,
  testDir: 'bench',
  testMatch: '*.bench.ts',
  outputDir: 'test-results/bench',
  timeout: 180_000,
  globalTimeout: 10 * 60_000,
  reporter: [['list']],
  use: { ...suite.use, screenshot: 'off', trace: 'off' },
});
