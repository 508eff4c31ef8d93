import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_PATH, targetDir, webClientDir } from './support';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    organiserToken: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the Plenum server exited with code ${exited} before it was ready (see target/e2e-server.log)`);
    try {
      const response = await fetch(new URL('health/ready', baseUrl));
      if (response.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the Plenum server was not ready within ${timeoutMs} ms`);
}

/**
 * Starts the real server (`java -jar ../target/plenum.jar`) on a free port, serving this build
 * from dist/, without persistence; stops it when the run is over. PLENUM_E2E_BASE_URL and
 * PLENUM_E2E_TOKEN point the tests at a server that already runs instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing: run "apt-get update && apt-get install -y chromium" (npm run e2e does)`);
  const external = process.env.PLENUM_E2E_BASE_URL;
  if (external) {
    project.provide('baseUrl', external.endsWith('/') ? external : `${external}/`);
    project.provide('organiserToken', process.env.PLENUM_E2E_TOKEN ?? '');
    return async () => {};
  }
  const jar = resolve(webClientDir, '..', 'target', 'plenum.jar');
  const dist = resolve(webClientDir, 'dist');
  if (!existsSync(jar)) throw new Error(`${jar} is missing: build the server first (mvn -q -B package -DskipTests)`);
  if (!existsSync(resolve(dist, 'index.html'))) throw new Error(`${dist} has no build: run npm run build`);
  mkdirSync(targetDir, { recursive: true });
  const port = await freePort();
  const token = `e2e-${randomBytes(12).toString('hex')}`;
  const log = createWriteStream(resolve(targetDir, 'e2e-server.log'));
  const child = spawn('java', ['-jar', jar], {
    env: {
      ...process.env,
      PLENUM_HTTP_PORT: String(port),
      PLENUM_ORGANISER_TOKEN: token,
      PLENUM_DATA_DIR: '',
      PLENUM_WEB_ROOT: dist,
      // Presence samples every second (default 10 s), so report.e2e.ts records real ones quickly.
      PLENUM_STATS_SAMPLE_SECONDS: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const baseUrl = `http://127.0.0.1:${port}/`;
  try {
    await waitUntilReady(baseUrl, child, 60_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  project.provide('baseUrl', baseUrl);
  project.provide('organiserToken', token);
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    log.end();
  };
}
