// The desktop app killed with SIGKILL while it reads documents, again and again, and
// started again through WebDriver each time: the database stays whole, every file the
// window had listed is still listed, and each ends Ready or Failed with a reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { application, dropFilesOn, screenshots, startDriver } from './harness.mjs';

const PDFS = [
  'amsthdoc',
  'refcount',
  'theorem',
  'expl3',
  'grfguide',
  'xparse',
  'calc',
  'nameref',
  'tabularht',
  'backref',
  'rotex',
  'cmfonts',
  'colortbl',
  'hypdoc',
  'bm',
  'usrguide',
  'verbatim',
  'atveryend',
  'epstopdf',
  'letter',
].map((n) => `${n}.pdf`);
const KILLS = Math.min(Number(process.env.FOLIO_E2E_KILLS ?? 20), PDFS.length);

let driver;
let app;

before(async () => {
  driver = await startDriver();
  app = await driver.launch();
});

after(async () => {
  await app?.quit();
  driver?.stop();
});

function corpusPdf(name) {
  const path = join(process.env.FOLIO_TEST_CORPUS ?? '', name);
  assert.ok(existsSync(path), `${path} is missing: run the suite through scripts/test.sh`);
  return path;
}

/** The newest process running the app binary (the window tauri-driver started). */
function appPid() {
  // Reader children run the same executable (with FOLIO_READER=1): kill the app itself,
  // never one of its readers (that only fails the one document, a different journey).
  const pids = execFileSync('pgrep', ['-f', application], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  const apps = pids.filter((pid) => {
    try {
      return !readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes('FOLIO_READER=1');
    } catch {
      return false; // gone already
    }
  });
  assert.equal(apps.length, 1, `one app process runs (found ${apps.join(', ')})`);
  return Number(apps[0]);
}

/** SQLite's own check of the engine's database, from outside the app. */
function integrity() {
  const db = join(driver.env.XDG_DATA_HOME, 'app.folio.desktop.e2e', 'engine', 'folio.sqlite3');
  if (!existsSync(db)) return 'ok';
  const script =
    'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])';
  return execFileSync('python3', ['-c', script, db], { encoding: 'utf8' }).trim();
}

const dropFiles = (paths) => dropFilesOn(app, paths);

async function listedNames() {
  const names = await app.findAll('[data-testid="document-row"] .name');
  return Promise.all(names.map((el) => app.property(el, 'textContent').then((t) => t.trim())));
}

async function openFirstConversation() {
  const item = await app.until('a conversation in the sidebar', async () => {
    const items = await app.findAll('[data-testid="conversation-item"]');
    return items[0];
  });
  await app.click(item);
  await app.find('[data-testid="conversation"]');
}

describe('Folio killed while it reads', () => {
  test(`${KILLS} kills mid-ingest, each followed by a start through WebDriver`, async () => {
    // A different real PDF of 15-28 pages each cycle, so each kill lands on new work:
    // storing, reading, indexing or embedding.
    const files = PDFS.slice(0, KILLS).map(corpusPdf);
    const listed = new Set();
    for (let i = 1; i <= KILLS; i++) {
      const file = files[i - 1];
      if (i === 1) {
        await dropFiles([file]);
        await app.find('[data-testid="conversation"]');
      } else {
        await openFirstConversation();
        await dropFiles([file]);
      }
      const name = file.split('/').pop();
      // The file counts as acknowledged once the window lists it; then kill at once or
      // up to 1.5 s later.
      await app.until(`${name} listed`, async () => (await listedNames()).includes(name));
      listed.add(name);
      await new Promise((r) => setTimeout(r, (i * 137) % 1500));
      process.kill(appPid(), 'SIGKILL');
      await app.quit();
      assert.equal(integrity(), 'ok', `integrity check after kill ${i}`);
      app = await driver.launch();
    }

    await openFirstConversation();
    const rows = await app.until(
      'every document settled',
      async () => {
        const found = await app.findAll('[data-testid="document-row"]');
        const stages = await Promise.all(found.map((el) => app.property(el, 'dataset').then((d) => d.stage)));
        return found.length >= listed.size && stages.every((s) => s === 'ready' || s === 'failed') && found;
      },
      { timeout: 240000 },
    );
    const names = await listedNames();
    for (const name of listed) assert.ok(names.includes(name), `${name} survived the kills`);
    const texts = await Promise.all(rows.map((el) => app.text(el)));
    for (const text of texts.filter((t) => /Failed/.test(t))) {
      const name = names.find((n) => text.includes(n));
      assert.ok(name && text.split(name).length > 2, `a failed document names itself in its reason: ${text}`);
    }
    assert.equal(integrity(), 'ok');
    await app.screenshot(join(screenshots, '20-after-kills.png'));
  });
});
