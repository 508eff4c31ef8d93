// Makes sure Debian's chromium is there for the end-to-end tests (no browser is ever downloaded),
// and Debian's colour emoji font, so screenshots of reactions and emoji entries show the emoji.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.PLENUM_E2E_CHROMIUM ?? '/usr/bin/chromium';
const emojiFont = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';
const missing = [];
if (!existsSync(path)) missing.push('chromium');
if (!existsSync(emojiFont)) missing.push('fonts-noto-color-emoji');
if (missing.length) {
  if (process.getuid?.() !== 0) {
    if (missing.includes('chromium')) {
      console.error(`${path} is missing; install Debian's chromium: sudo apt-get update && sudo apt-get install -y chromium fonts-noto-color-emoji`);
      process.exit(1);
    }
    console.warn('fonts-noto-color-emoji is missing: emoji show as boxes in the screenshots (the tests still pass)');
  } else {
    console.log(`installing Debian's ${missing.join(' ')}`);
    execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`, { stdio: 'inherit' });
  }
}
