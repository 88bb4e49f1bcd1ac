// Every screen a person meets, checked for accessibility (axe-core, zero serious or
// critical findings) and photographed in light and dark; the page viewer on a turned
// page (lscape.pdf) and deep in a long manual (gnuplot.pdf, 311 pages); the model offer
// said no to for good; the main journey by keyboard alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPdf, dropFilesOn, screenshots, startDriver } from './harness.mjs';
import {
  askAbout as askAboutIn,
  settled as settledIn,
  viewerState as viewerStateOf,
  waitForHighlight as waitForHighlightIn,
} from './journey.mjs';
import { look } from './look.mjs';
import { marksAgainstQuote, pageWords } from './pdf-words.mjs';
import { Keys } from './webdriver.mjs';

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

const settled = (count) => settledIn(app, count);
const askAbout = (name, question, answers) => askAboutIn(app, name, question, answers);
const viewerState = () => viewerStateOf(app);
const waitForHighlight = () => waitForHighlightIn(app);

describe('every screen, light and dark', () => {
  test('first start: the empty state says what to do', async () => {
    const text = await app.text(await app.find('[data-testid="empty-state"]'));
    assert.match(text, /Drop files here to start a conversation/);
    assert.match(text, /Add documents/);
    await look(app, '30-first-start');
  });

  test('a turned page: fit to width, only the quoted lines marked strongly, keys page and zoom', async () => {
    await dropFilesOn(app, [corpusPdf('lscape.pdf'), corpusPdf('gnuplot.pdf')]);
    await app.find('[data-testid="conversation"]');
    await settled(2);
    await look(app, '31-conversation');

    await askAbout('lscape.pdf', 'What does the landscape environment do to the pages?', 1);
    const offers = await app.findAll('[data-testid="model-offer"]');
    assert.equal(offers.length, 1, 'the model is offered once, under the quoted answer');
    await look(app, '32-answer');

    const chip = (await app.findAll('[data-testid="citation"]'))[0];
    assert.match(await app.text(chip), /^lscape\.pdf, p\. /);
    await app.click(chip);
    await waitForHighlight();
    let state = await viewerState();
    // Fit to width: the page fills the pane (less its margins) and is not cut off.
    assert.ok(state.sheetWidth <= state.stageWidth && state.sheetWidth > state.stageWidth - 48, JSON.stringify(state));
    assert.equal(state.zoom, 'Fit');
    // The quote's own lines, each a tall box (the text is turned 90°), not every word of the passage.
    assert.ok(state.marks.length >= 1 && state.marks.length <= 6, `strong marks: ${JSON.stringify(state.marks)}`);
    assert.ok(
      state.marks.every((m) => m.h > m.w),
      `turned lines are tall: ${JSON.stringify(state.marks)}`,
    );
    assert.ok(state.focusInViewer, 'the viewer takes the keyboard');
    await look(app, '33-viewer-turned-page');

    await app.press('+');
    state = await viewerState();
    assert.equal(state.zoom, '125%');
    await app.press('0');
    assert.equal((await viewerState()).zoom, 'Fit');
    const [cited, total] = state.page.split(' / ').map(Number);
    assert.equal(total, 3);
    await app.press(Keys.ArrowRight);
    await app.until('the next page', async () => (await viewerState()).page === `${cited + 1} / 3`);
    await app.press(Keys.PageUp);
    await app.until('back on the cited page', async () => (await viewerState()).page === `${cited} / 3`);
    await app.press(Keys.Escape);
    await app.until('the viewer closed', async () => (await app.findAll('[data-testid="page-viewer"]')).length === 0);
    const focused = await app.execute(`return document.activeElement?.dataset.testid ?? ''`);
    assert.equal(focused, 'citation', 'focus is back on the citation that opened the page');
  });

  test('a long manual: the viewer opens deep in it with the sentence in view, and pages on', async () => {
    await askAbout('gnuplot.pdf', 'How are the covariances between the final fit parameters saved?', 2);
    const chips = await app.findAll('[data-testid="citation"]');
    const label = await app.text(chips[chips.length - 1]);
    const quote = await app.attribute(chips[chips.length - 1], 'title');
    assert.match(label, /^gnuplot\.pdf, p\. \d+/);
    await app.click(chips[chips.length - 1]);
    await waitForHighlight();
    const state = await viewerState();
    const [page, total] = state.page.split(' / ').map(Number);
    assert.equal(total, 311);
    assert.equal(`p. ${page}`, label.split(', ')[1], 'the viewer opens at the cited page');
    assert.ok(page > 20, `the cited page is deep in the manual: ${page}`);
    assert.ok(
      state.marks.some((m) => m.visible),
      'the highlight is scrolled into view',
    );
    assert.ok(
      state.marks.every((m) => m.w > m.h),
      'upright lines are wide',
    );
    // The marks lie on this citation's own passage, not a neighbour (where its words
    // are comes from poppler); they are drawn the same in dark, which look() photographs.
    const found = marksAgainstQuote(pageWords(corpusPdf('gnuplot.pdf'), state.markedPage), state.onPage, quote);
    const said = `marked "${found.marked}" for "${quote}" (precision ${found.precision.toFixed(2)}, recall ${found.recall.toFixed(2)})`;
    console.log(`# ${said}`);
    assert.ok(found.precision >= 0.8 && found.recall >= 0.6, said);
    await look(app, '34-viewer-long-document');
    await app.click(await app.find('[data-testid="viewer-next"]'));
    await app.until('the next page', async () => (await viewerState()).page === `${page + 1} / 311`);
    await app.click(await app.find('[data-testid="viewer-close"]'));
  });

  test('the model offer, said no to, stays gone after a restart', async () => {
    await app.click(await app.find('[data-testid="model-offer-dismiss"]'));
    await app.until('the offer gone', async () => (await app.findAll('[data-testid="model-offer"]')).length === 0);
    // The card goes at once; the setting is written a moment later.
    const file = join(driver.env.XDG_DATA_HOME, 'app.folio.desktop.e2e', 'settings.json');
    await app.until('"No thanks" saved', async () => {
      const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
      return /"modelOfferDismissed":\s*true/.test(text);
    });
    await app.quit();
    app = await driver.launch();
    await app.click(
      await app.until(
        'the conversation in the sidebar',
        async () => (await app.findAll('[data-testid="conversation-item"]'))[0],
      ),
    );
    await app.until('the chat from before', async () => (await app.findAll('[data-testid="answer"]')).length === 2);
    await askAbout('lscape.pdf', 'Which package does lscape use to rotate?', 3);
    assert.equal((await app.findAll('[data-testid="model-offer"]')).length, 0);
  });

  test('settings and chatbots; Dark chosen in Settings is kept after a restart', async () => {
    await app.click(await app.find('[data-testid="open-settings"]'));
    await app.find('[data-testid="appearance"]');
    await look(app, '35-settings');
    await app.click(await app.find('[data-testid="appearance-dark"]'));
    await app.until(
      'dark colours',
      async () => (await app.execute('return document.documentElement.dataset.theme')) === 'dark',
    );
    await app.quit();
    app = await driver.launch();
    await app.until(
      'dark after a restart',
      async () => (await app.execute('return document.documentElement.dataset.theme')) === 'dark',
    );
    await app.screenshot(join(screenshots, '36-dark-after-restart.png'));
    await app.click(await app.find('[data-testid="open-settings"]'));
    await app.click(await app.find('[data-testid="appearance-system"]'));
    await app.click(await app.find('[data-testid="open-chatbots"]'));
    await app.find('[data-testid="chatbots-empty"]');
    await look(app, '37-chatbots');
  });
});

describe('by keyboard alone', () => {
  test('new conversation, add a document, ask, open the cited page, close it', async () => {
    await app.press([Keys.Control, 'n']);
    await app.find('[data-testid="empty-state"]');
    // A file dialog cannot be driven here: the document arrives by the window's drop event.
    const note = join(driver.home, 'Garden rules.txt');
    writeFileSync(
      note,
      'Community garden rules.\nWatering is allowed before nine in the morning and after six in the evening.\n',
    );
    await dropFilesOn(app, [note]);
    await settled(1);
    await app.press([Keys.Control, 'l']);
    assert.equal(await app.execute(`return document.activeElement?.dataset.testid`), 'question');
    await app.press('When is watering allowed?', Keys.Enter);
    await app.until(
      'the answer',
      async () => {
        const found = await app.findAll('[data-testid="answer"]');
        return (
          found.length === 1 &&
          (await app.attribute(found[0], 'aria-busy')) !== 'true' &&
          (await app.findAll('[data-testid="citation"]')).length > 0
        );
      },
      { timeout: 60000 },
    );
    // Back through the controls to the answer's citation, by Shift+Tab only.
    let reached = '';
    for (let i = 0; i < 20 && reached !== 'citation'; i++) {
      await app.press([Keys.Shift, Keys.Tab]);
      reached = await app.execute(`return document.activeElement?.dataset.testid ?? ''`);
    }
    assert.equal(reached, 'citation', 'a citation is reachable by keyboard');
    await app.press(Keys.Enter);
    await app.find('[data-testid="page-viewer"]');
    await app.until(
      'the page text with its highlight',
      async () => (await app.findAll('[data-testid="highlight"]')).length > 0,
    );
    assert.equal(await app.execute(`return !!document.activeElement?.closest('[data-testid="page-viewer"]')`), true);
    await app.screenshot(join(screenshots, '38-keyboard-viewer.png'));
    await app.press(Keys.Escape);
    await app.until('the viewer closed', async () => (await app.findAll('[data-testid="page-viewer"]')).length === 0);
    assert.equal(await app.execute(`return document.activeElement?.dataset.testid ?? ''`), 'citation');
  });
});
