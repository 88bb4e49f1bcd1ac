// Search everywhere in the real window with the real engine: two conversations, each
// with a different real manual from the corpus. From the second, "/" opens the search,
// a search finds a passage of the first conversation's manual, and clicking the hit
// opens that conversation with the page viewer at the hit's page, the passage marked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { corpusPdf, dropFilesOn, startDriver } from './harness.mjs';
import { settled, waitForHighlight } from './journey.mjs';
import { Keys } from './webdriver.mjs';
import { look } from './look.mjs';

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

const title = async () =>
  (await app.property(await app.find('[data-testid="conversation-title"]'), 'textContent')).trim();

/** Drops one file with nothing open: a conversation of its own, read to the end. */
async function conversationOf(pdf) {
  await app.click(await app.find('[data-testid="new-conversation"]'));
  await app.find('[data-testid="empty-state"]');
  await dropFilesOn(app, [corpusPdf(pdf)]);
  await app.find('[data-testid="conversation"]');
  await settled(app, 1);
  return title();
}

describe('search everywhere', () => {
  test('a hit in another conversation opens its page with the passage highlighted', async () => {
    const landscape = await conversationOf('lscape.pdf');
    const columns = await conversationOf('dcolumn.pdf');
    assert.notEqual(landscape, columns);
    assert.equal(await title(), columns, 'the second conversation is open');

    // "/" outside a text field opens the search with its box focused.
    await app.execute('document.activeElement?.blur()');
    await app.press('/');
    const box = await app.find('[data-testid="everywhere-query"]');
    assert.equal(await app.execute('return document.activeElement?.id'), 'everywhere-query');
    await app.find('[data-testid="everywhere-empty"]');

    await app.type(box, `rotated landscape pages${Keys.Enter}`);
    const hits = await app.until(
      'hits',
      async () => {
        const found = await app.findAll('[data-testid="everywhere-hit"]');
        return found.length > 0 && found;
      },
      { timeout: 30000 },
    );
    const first = await app.execute(
      `const hit = document.querySelector('[data-testid="everywhere-hit"]');
       return { place: hit.querySelector('[data-testid="everywhere-place"]').textContent.trim(),
                text: hit.textContent, marked: [...hit.querySelectorAll('mark')].map((m) => m.textContent.toLowerCase()) };`,
    );
    assert.match(first.place, /^lscape\.pdf, p\. \d+$/, JSON.stringify(first));
    assert.ok(first.text.includes(`in ${landscape}`), JSON.stringify(first));
    assert.ok(
      first.marked.some((w) => ['rotated', 'landscape', 'pages'].includes(w)),
      JSON.stringify(first),
    );
    await look(app, '45-search-everywhere-hits');

    await app.click(hits[0]);
    await app.until('the first conversation open', async () => (await title()) === landscape, { timeout: 15000 });
    const state = await waitForHighlight(app);
    const page = Number(first.place.split('p. ')[1]);
    assert.equal(state.page.split(' / ')[0], String(page), `the viewer opened at the hit's page: ${state.page}`);
    assert.equal(state.markedPage, page, 'the highlight is on that page');
    assert.ok(
      state.marks.some((m) => m.visible),
      'the highlight is in view',
    );
    const shownName = await app.execute(
      `return document.querySelector('[data-testid="page-viewer"]').textContent.includes('lscape.pdf')`,
    );
    assert.ok(shownName, 'the viewer names the document');
    await look(app, '46-search-hit-opened');

    // Back to the search: the viewer closes and the same hits are still there.
    await app.click(await app.find('[data-testid="open-search-everywhere"]'));
    await app.find('[data-testid="everywhere-hit"]');
    assert.equal((await app.findAll('[data-testid="page-viewer"]')).length, 0);
  });

  test('a search that matches nothing says so plainly', async () => {
    const box = await app.find('[data-testid="everywhere-query"]');
    await app.clear(box);
    await app.type(box, `zqxjv${Keys.Enter}`);
    const none = await app.find('[data-testid="everywhere-none"]');
    assert.match(await app.text(none), /No passage in your documents matches “zqxjv”/);
  });
});
