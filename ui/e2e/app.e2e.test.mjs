// Folio's real window, driven like a person would drive it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

describe('Folio window', () => {
  test('a first start shows the empty state inviting files', async () => {
    const empty = await app.find('[data-testid="empty-state"]');
    const text = await app.text(empty);
    assert.match(text, /Drop files here to start a conversation/);
    assert.match(text, /Choose files/);
    await app.screenshot(join(screenshots, '01-empty-state.png'));
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
    await app.screenshot(join(screenshots, '02-settings-saved.png'));

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
    await app.screenshot(join(screenshots, '03-settings-after-restart.png'));
    await app.click(await app.find('[data-testid="close-settings"]'));
  });

  test('two dropped files arrive through the drag-and-drop handler and are listed', async () => {
    const first = join(driver.home, 'Quarterly report.pdf');
    const second = join(driver.home, 'Meeting notes.txt');
    writeFileSync(first, '%PDF-1.4\n');
    writeFileSync(second, 'Notes\n');
    // The same event the window raises when files are dropped on it, sent through
    // Tauri's event system, so the UI's real drop listener receives it.
    await app.executeAsync(
      `const [paths, done] = arguments;
       window.__TAURI_INTERNALS__.invoke('plugin:event|emit', {
         event: 'tauri://drag-drop',
         payload: { paths, position: { x: 400, y: 300 } },
       }).then(() => done(null), (e) => done(String(e)));`,
      [[first, second]],
    );
    const names = await app.until('two listed files', async () => {
      const items = await app.findAll('[data-testid="chosen-file"]');
      const texts = await Promise.all(items.map((el) => app.text(el)));
      return texts.length === 2 && texts;
    });
    assert.match(names[0], /Quarterly report\.pdf/);
    assert.match(names[1], /Meeting notes\.txt/);
    assert.match(await app.text(await app.find('[data-testid="chosen-files"]')), /2 files chosen/);
    await app.screenshot(join(screenshots, '04-dropped-files.png'));
  });
});
