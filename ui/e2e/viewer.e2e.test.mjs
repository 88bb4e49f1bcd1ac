// The page viewer on odd page sizes, in the real window with the real engine: a real
// text printed as one very tall page (a web page saved as a single PDF page), and a
// landscape slide (slides.pdf from the corpus, 42 slides). A citation opens its page
// fitted to the pane's width with the highlight scrolled into view, lying on the words
// the answer quotes (where those words are comes from poppler, not from Folio). And
// the chat beside it following the newest answer, unless the person scrolled up.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusPdf, dropFilesOn, startDriver } from './harness.mjs';
import { askAbout, settled, waitForHighlight } from './journey.mjs';
import { Keys } from './webdriver.mjs';
import { look } from './look.mjs';
import { marksAgainstQuote, pageWords, writeTallPagePdf } from './pdf-words.mjs';

let driver;
let app;
let tall;

before(async () => {
  driver = await startDriver();
  app = await driver.launch();
  const readme = join(process.env.FOLIO_EVAL_CORPUS ?? '', 'libfuse-readme.md');
  tall = join(driver.home, 'libfuse README on one page.pdf');
  writeTallPagePdf(tall, readFileSync(readme, 'utf8').split('\n'));
});

after(async () => {
  await app?.quit();
  driver?.stop();
});

/** Opens the newest answer's citation of `name`; returns the passage it quotes. */
async function openCitation(name) {
  const chips = await app.findAll('[data-testid="citation"]');
  const labels = await Promise.all(chips.map((c) => app.text(c)));
  const index = labels.findLastIndex((l) => l.startsWith(name));
  assert.ok(index >= 0, `no citation of ${name}: ${labels}`);
  const quote = await app.attribute(chips[index], 'title');
  await app.click(chips[index]);
  return { quote, label: labels[index] };
}

/** The strong marks lie on the quoted words: most marked words are the quote's, and most of it is marked. */
function assertMarksOnQuote(pdf, state, quote) {
  const words = pageWords(pdf, state.markedPage);
  const found = marksAgainstQuote(words, state.onPage, quote);
  const said = `marked "${found.marked}" for the quote "${quote}" (precision ${found.precision.toFixed(2)}, recall ${found.recall.toFixed(2)})`;
  console.log(`# ${said}`);
  assert.ok(found.precision >= 0.8 && found.recall >= 0.6, said);
  return words;
}

/** Fit width: the sheet fills the pane less its margins, and is not cut off. */
function assertFitted(state) {
  assert.equal(state.zoom, 'Fit');
  assert.ok(state.sheetWidth <= state.stageWidth && state.sheetWidth > state.stageWidth - 48, JSON.stringify(state));
}

describe('the page viewer on odd page sizes', () => {
  test('a very tall page: fitted, the quoted lines near its foot scrolled into view and marked', async () => {
    assert.ok(process.env.FOLIO_EVAL_CORPUS, 'FOLIO_EVAL_CORPUS is not set: run the suite through scripts/test.sh');
    await dropFilesOn(app, [tall, corpusPdf('slides.pdf')]);
    await app.find('[data-testid="conversation"]');
    await settled(app, 2);
    await askAbout(app, 'libfuse README', 'Where can I ask for help with libfuse?', 1);
    const { quote, label } = await openCitation('libfuse README');
    assert.match(label, /, p\. 1$/);
    const state = await waitForHighlight(app);
    assertFitted(state);
    assert.equal(state.page, '1 / 1');
    const words = pageWords(tall, 1);
    const drawnRatio = state.sheetHeight / state.sheetWidth;
    assert.ok(
      Math.abs(drawnRatio - words.height / words.width) < 0.05,
      `the page keeps its proportions: ${drawnRatio}`,
    );
    assert.ok(
      state.marks.every((m) => m.visible),
      `every quoted line is in view: ${JSON.stringify(state.marks)}`,
    );
    assertMarksOnQuote(tall, state, quote);
    await look(app, '40-viewer-tall-page');
    await app.click(await app.find('[data-testid="viewer-close"]'));
  });

  test('a landscape slide: fitted, wider than tall, the quoted line marked', async () => {
    await askAbout(app, 'slides.pdf', 'What does the bookmarksnumbered option do?', 2);
    const { quote, label } = await openCitation('slides.pdf');
    const state = await waitForHighlight(app);
    assertFitted(state);
    const [page, total] = state.page.split(' / ').map(Number);
    assert.equal(total, 42);
    assert.equal(`p. ${page}`, label.split(', ')[1], 'the viewer opens at the cited slide');
    assert.ok(
      state.sheetHeight < state.sheetWidth * 0.8,
      `a landscape sheet: ${state.sheetWidth}x${state.sheetHeight}`,
    );
    assert.ok(
      state.marks.every((m) => m.w > m.h),
      'upright lines are wide',
    );
    assert.ok(
      state.marks.some((m) => m.visible),
      'the highlight is in view',
    );
    assertMarksOnQuote(corpusPdf('slides.pdf'), state, quote);
    await look(app, '41-viewer-landscape-slide');
    await app.click(await app.find('[data-testid="viewer-close"]'));
  });

  test('the chat shows a new question and its answer, but stays where the person scrolled up to read', async () => {
    // Where the newest question is in the chat column: in view, or not.
    const newest = () =>
      app.execute(`
        const main = document.querySelector('main').getBoundingClientRect();
        const questions = document.querySelectorAll('.question');
        const q = questions[questions.length - 1].getBoundingClientRect();
        return { inView: q.top >= main.top && q.bottom <= main.bottom, scrollTop: document.querySelector('main').scrollTop };`);
    assert.ok((await newest()).inView, 'the answer just asked about is in view');

    await app.type(await app.find('[data-testid="question"]'), `What is thumbpdf for?${Keys.Enter}`);
    // The person scrolls up to reread the first answer while this one is on its way.
    await app.execute(`document.querySelector('main').scrollTop = 0;`);
    await app.until(
      'the third answer',
      async () => {
        const found = await app.findAll('[data-testid="answer"]');
        return found.length === 3 && (await app.attribute(found[2], 'aria-busy')) !== 'true';
      },
      { timeout: 90000 },
    );
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await newest()).scrollTop, 0, 'the chat stayed where the person was reading');

    await app.type(await app.find('[data-testid="question"]'), `Which package makes thumbnails?${Keys.Enter}`);
    await app.until(
      'the fourth answer in view',
      async () => {
        const found = await app.findAll('[data-testid="answer"]');
        return found.length === 4 && (await app.attribute(found[3], 'aria-busy')) !== 'true' && (await newest()).inView;
      },
      { timeout: 90000 },
    );
    await look(app, '42-chat-follows-newest-answer');
  });
});
