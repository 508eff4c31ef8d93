// Makes sure Debian's chromium is there for the end-to-end tests (no browser is ever downloaded).
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.PLENUM_E2E_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(path)) {
  if (process.getuid?.() !== 0) {
    console.error(`${path} is missing; install Debian's chromium: sudo apt-get update && sudo apt-get install -y chromium`);
    process.exit(1);
  }
  console.log(`${path} is missing; installing Debian's chromium package`);
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
}
