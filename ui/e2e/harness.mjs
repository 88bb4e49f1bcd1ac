// Starts tauri-driver (which drives WebKitWebDriver) against the test build of the
// app, with every XDG directory in a temporary folder so a run never touches a
// person's real data, and gives tests a way to (re)start the app.
import { execFileSync, spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Session } from './webdriver.mjs';

export const application = process.env.FOLIO_E2E_APP;
export const screenshots = resolve(process.env.FOLIO_E2E_SCREENSHOTS ?? 'e2e-screenshots');

if (!application) {
  throw new Error('FOLIO_E2E_APP is not set: run the end-to-end suite through scripts/test.sh');
}

async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
    server.on('error', reject);
  });
}

const identifier = JSON.parse(readFileSync(new URL('../../src-tauri/e2e.conf.json', import.meta.url))).identifier;

/**
 * Whether a copy of the test build still holds the single-instance name on the session
 * bus: one that is shutting down still does, and a copy started meanwhile hands over to
 * it and exits at once (the session then never starts).
 */
function appStillRunning() {
  const names = execFileSync('dbus-send', [
    '--session',
    '--print-reply',
    '--dest=org.freedesktop.DBus',
    '/org/freedesktop/DBus',
    'org.freedesktop.DBus.ListNames',
  ]).toString();
  return names.includes(`"${identifier}.SingleInstance`);
}

/** `extraEnv` reaches the app too (tauri-driver starts it with this environment). */
export async function startDriver(extraEnv = {}) {
  const home = mkdtempSync(join(tmpdir(), 'folio-e2e-'));
  const env = { ...process.env, ...extraEnv };
  for (const dir of ['XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME']) {
    env[dir] = join(home, dir.toLowerCase());
    mkdirSync(env[dir], { recursive: true });
  }
  const port = await freePort();
  const nativePort = await freePort();
  // Its own process group, so stop() also ends WebKitWebDriver and any app window a
  // session left behind (an app still running keeps the test runner's pipes open).
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20000;
  for (;;) {
    try {
      await fetch(`${url}/status`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('tauri-driver did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    home,
    env,
    async launch() {
      // After a quit, the previous window may take a moment to let go of the name (a loaded model).
      for (const deadline = Date.now() + 30000; appStillRunning() && Date.now() < deadline;) {
        await new Promise((r) => setTimeout(r, 200));
      }
      const session = await Session.start(url, { browserName: 'wry', 'tauri:options': { application } });
      // The first paint can lag the session; wait for the app's frame.
      await session.find('main');
      return session;
    },
    stop() {
      try {
        process.kill(-driver.pid, 'SIGTERM');
      } catch {
        driver.kill();
      }
    },
  };
}

/** The same event the window raises when files are dropped on it, sent through Tauri's
 * event system, so the UI's real drop listener receives it. */
export async function dropFilesOn(app, paths) {
  // A drop emitted before the window listens is lost (a fresh start registers its listener
  // a moment after the first paint).
  await app.find('html[data-drops-ready="yes"]');
  const error = await app.executeAsync(
    `const [paths, done] = arguments;
     window.__TAURI_INTERNALS__.invoke('plugin:event|emit', {
       event: 'tauri://drag-drop',
       payload: { paths, position: { x: 400, y: 300 } },
     }).then(() => done(null), (e) => done(String(e)));`,
    [paths],
  );
  if (error !== null) throw new Error(`the drop event failed: ${error}`);
}

/** A real PDF from the test corpus (scripts/setup.d/40-engine.sh fetches it). */
export function corpusPdf(name) {
  const dir = process.env.FOLIO_TEST_CORPUS;
  assert.ok(dir, 'FOLIO_TEST_CORPUS is not set: run the suite through scripts/test.sh');
  const path = join(dir, name);
  assert.ok(existsSync(path), `${path} is missing from the test corpus`);
  return path;
}
