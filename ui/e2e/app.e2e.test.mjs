// Folio's real window, driven like a person would drive it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { screenshots, startDriver } from './harness.mjs';

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

/** The same event the window raises when files are dropped on it, sent through Tauri's
 * event system, so the UI's real drop listener receives it. */
async function dropFiles(paths) {
  const error = await app.executeAsync(
    `const [paths, done] = arguments;
     window.__TAURI_INTERNALS__.invoke('plugin:event|emit', {
       event: 'tauri://drag-drop',
       payload: { paths, position: { x: 400, y: 300 } },
     }).then(() => done(null), (e) => done(String(e)));`,
    [paths],
  );
  assert.equal(error, null);
}

/** A real PDF from the test corpus (scripts/setup.d/40-engine.sh fetches it). */
function smallestCorpusPdf() {
  const dir = process.env.FOLIO_TEST_CORPUS;
  assert.ok(dir, 'FOLIO_TEST_CORPUS is not set: run the suite through scripts/test.sh');
  const pdfs = readdirSync(dir).filter((f) => f.endsWith('.pdf')).map((f) => join(dir, f));
  return pdfs.sort((a, b) => statSync(a).size - statSync(b).size || a.localeCompare(b))[0];
}

describe('Folio window', () => {
  test('a first start shows the empty state inviting files', async () => {
    const empty = await app.find('[data-testid="empty-state"]');
    const text = await app.text(empty);
    assert.match(text, /Drop files here to start a conversation/);
    assert.match(text, /Choose files/);
    await app.screenshot(join(screenshots, '01-empty-state.png'));
  });

  test('dropped files become a conversation: good ones ready, a broken one says why', async () => {
    const pdf = smallestCorpusPdf();
    const note = join(driver.home, 'Meeting notes.txt');
    const broken = join(driver.home, 'Broken scan.pdf');
    writeFileSync(note, 'The budget review moves to Thursday at 10:00 in room 4.\n');
    writeFileSync(broken, '%PDF-1.7\n1 0 obj << /Type /Catalog');
    await dropFiles([pdf, note, broken]);

    await app.find('[data-testid="conversation"]');
    const rows = await app.until('three settled documents', async () => {
      const found = await app.findAll('[data-testid="document-row"]');
      if (found.length !== 3) return false;
      const stages = await Promise.all(found.map((el) => app.property(el, 'dataset').then((d) => d.stage)));
      return stages.every((st) => st === 'ready' || st === 'failed') && found;
    }, { timeout: 60000 });
    const texts = await Promise.all(rows.map((el) => app.text(el)));
    const row = (name) => texts.find((t) => t.includes(name)) ?? assert.fail(`${name} not listed in ${texts}`);
    assert.match(row(basename(pdf)), /Ready/);
    assert.match(row('Meeting notes.txt'), /Ready/);
    assert.match(row('Broken scan.pdf'), /Failed/);
    assert.match(row('Broken scan.pdf'), /Broken scan\.pdf/, 'the reason names the file');
    await app.screenshot(join(screenshots, '02-documents-processed.png'));

    const question = await app.find('[data-testid="question"]');
    await app.type(question, 'When is the budget review?\uE007');
    const answer = await app.until('a cited answer', async () => {
      const found = await app.findAll('[data-testid="answer"]');
      return found.length === 1 && app.text(found[0]);
    }, { timeout: 30000 });
    assert.match(answer, /Thursday at 10:00/);
    const chips = await Promise.all((await app.findAll('[data-testid="citation"]')).map((el) => app.text(el)));
    assert.ok(chips.some((c) => c.startsWith('Meeting notes.txt')), `citations: ${chips}`);
    await app.screenshot(join(screenshots, '02b-cited-answer.png'));

    // The sidebar entry is clipped with an ellipsis, so read its text content rather
    // than the visible text.
    const entry = () => app.find('[data-testid="conversation-item"]').then((el) => app.property(el, 'textContent'));
    const listed = await app.until('the sidebar entry', async () => (await entry()).trim());
    assert.match(listed, /and 2 more/);

    await app.click(await app.find('[data-testid="rename"]'));
    const input = await app.find('[data-testid="rename-input"]');
    await app.clear(input);
    await app.type(input, 'Budget papers');
    await app.click(await app.find('[data-testid="rename-save"]'));
    await app.until('the new title', async () => (await app.text(await app.find('[data-testid="conversation-title"]'))) === 'Budget papers');
    await app.until('the renamed sidebar entry', async () => (await entry()).trim() === 'Budget papers');

    await app.click(await app.find('[data-testid="delete"]'));
    assert.match(await app.text(await app.find('[data-testid="confirm-delete"]')), /3 documents and its chat history/);
    await app.screenshot(join(screenshots, '03-confirm-delete.png'));
    await app.click(await app.find('[data-testid="confirm-delete-yes"]'));
    await app.find('[data-testid="empty-state"]');
    assert.equal((await app.findAll('[data-testid="conversation-item"]')).length, 0);
  });

  test('settings change, save, and are still there after a restart', async () => {
    await app.click(await app.find('[data-testid="open-settings"]'));
    const endpoint = await app.find('[data-testid="llm-endpoint"]');
    await app.clear(endpoint);
    await app.type(endpoint, 'http://127.0.0.1:11500');
    const context = await app.find('[data-testid="aihub-ib-context"]');
    await app.clear(context);
    await app.type(context, 'org-e2e');
    await app.click(await app.find('[data-testid="backend-aihub"]'));
    const token = await app.find('[data-testid="aihub-token"]');
    await app.type(token, 'e2e-secret-token-4711');
    await app.click(await app.find('[data-testid="save-token"]'));
    const tokenMessage = await app.text(await app.find('[data-testid="token-message"]'));
    assert.equal(tokenMessage, 'Token saved in your system keychain.');
    await app.click(await app.find('[data-testid="save-settings"]'));
    const status = await app.find('[data-testid="settings-status"]');
    assert.equal(await app.text(status), 'Saved');
    await app.screenshot(join(screenshots, '04-settings-saved.png'));

    await app.quit();
    app = await driver.launch();

    await app.click(await app.find('[data-testid="open-settings"]'));
    const kept = await app.until('saved endpoint', async () => {
      const value = await app.property(await app.find('[data-testid="llm-endpoint"]'), 'value');
      return value === 'http://127.0.0.1:11500' && value;
    });
    assert.equal(kept, 'http://127.0.0.1:11500');
    assert.equal(await app.property(await app.find('[data-testid="aihub-ib-context"]'), 'value'), 'org-e2e');
    assert.equal(await app.property(await app.find('[data-testid="backend-aihub"]'), 'checked'), true);
    const tokenHint = await app.until('the stored-token hint', async () => {
      const placeholder = await app.property(await app.find('[data-testid="aihub-token"]'), 'placeholder');
      return placeholder.startsWith('A token is saved') && placeholder;
    });
    assert.match(tokenHint, /A token is saved/);
    const stored = readFileSync(join(driver.env.XDG_DATA_HOME, 'app.folio.desktop.e2e', 'settings.json'), 'utf8');
    assert.match(stored, /org-e2e/);
    assert.doesNotMatch(stored, /e2e-secret-token-4711/, 'the token must live in the keychain, not the settings file');
    await app.screenshot(join(screenshots, '05-settings-after-restart.png'));

    // "Allow scripts to use Folio": an AI Hub request with the shown token is answered.
    await app.click(await app.find('[data-testid="allow-scripts"]'));
    const apiRoot = await app.text(await app.find('[data-testid="script-api-root"]'));
    const scriptToken = await app.text(await app.find('[data-testid="script-token"]'));
    const listed = await fetch(`${apiRoot}/v2/conversations`, { headers: { Authorization: `Bearer ${scriptToken}` } });
    assert.equal(listed.status, 200);
    assert.ok(Array.isArray((await listed.json()).conversations));
    assert.equal((await fetch(`${apiRoot}/v2/conversations`)).status, 401);
    await app.screenshot(join(screenshots, '06-scripts-allowed.png'));
    await app.click(await app.find('[data-testid="close-settings"]'));
  });
});
