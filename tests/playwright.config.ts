import { defineConfig, devices } from '@playwright/test';

export default defineConfig({
  testDir: './e2e',
  outputDir: './.artifacts/playwright',
  globalSetup: './support/e2e-global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // axe over a whole page takes ~25 s on this 2-core machine even when it is quiet.
  timeout: 90_000,
  reporter: [['list'], ['json', { outputFile: '.artifacts/playwright.json' }]],
  use: {
    launchOptions: {
      executablePath: process.env.WAYPOST_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
    trace: 'off',
  },
  projects: [
    { name: 'phone', use: { ...devices['Pixel 7'], viewport: { width: 390, height: 844 }, browserName: 'chromium' } },
    // The email screenshots are taken at phone width only (an email is read on a phone first).
    { name: 'desktop', use: { viewport: { width: 1280, height: 900 }, browserName: 'chromium' }, testIgnore: /email-screens\.spec\.ts$/ },
  ],
});
