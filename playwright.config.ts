import { defineConfig } from '@playwright/test';

/**
 * Browser tests in Debian's Chromium. Playwright starts the portal as
 * `yarn start` does (frontend dev server and backend with demo data) unless
 * one already listens on 127.0.0.1:3000 and :7007.
 */
export default defineConfig({
  testDir: 'e2e-tests',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: 'node_modules/.cache/e2e-test-results',

  webServer: [
    {
      command: 'yarn workspace backend start',
      url: 'http://127.0.0.1:7007/api/ai-cost/health',
      reuseExistingServer: true,
      timeout: 180_000,
      stdout: 'ignore',
    },
    {
      command: 'yarn workspace app start',
      url: 'http://127.0.0.1:3000',
      reuseExistingServer: true,
      timeout: 300_000,
      stdout: 'ignore',
    },
  ],

  use: {
    baseURL: 'http://127.0.0.1:3000',
    screenshot: 'only-on-failure',
    viewport: { width: 1440, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        // Every host name but the local ones resolves to nothing, so the
        // test cannot reach another host.
        '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-gpu',
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      ],
    },
  },
});
