import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM } from '../../playwright.config';

/** Builds the app once (the renderer that browser mode serves) and checks the browser is there. */
export default function globalSetup(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
