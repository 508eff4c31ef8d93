import { defineConfig } from 'vitest/config';

// End-to-end tests: a real Plenum server (java -jar ../target/plenum.jar) and Debian's chromium.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    // organiser-control.e2e.ts needs the server routes of the `control` branch (issue 8): left
    // out until that branch is merged; E2E_CONTROL=1 runs it against a server that has them.
    exclude: process.env.E2E_CONTROL === '1' ? [] : ['e2e/organiser-control.e2e.ts'],
    environment: 'node',
    globalSetup: ['e2e/global-setup.ts'],
    // One server, one browser at a time: the machine has two cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});
