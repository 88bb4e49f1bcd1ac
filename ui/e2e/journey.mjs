// Steps the screen journeys share: documents settling, a question about one document,
// and what the page viewer shows (counter, zoom, widths, where its marks are).
import { Keys } from './webdriver.mjs';

export async function settled(app, count, timeout = 120000) {
  return app.until(
    `${count} settled documents`,
    async () => {
      const stages = await app.execute(
        `return [...document.querySelectorAll('[data-testid="document-row"]')].map((r) => r.dataset.stage)`,
      );
      return stages.length === count && stages.every((s) => ['ready', 'embedding', 'failed'].includes(s));
    },
    { timeout },
  );
}

/** Asks about one document only, and waits for the finished answer (the `answers`th). */
export async function askAbout(app, name, question, answers) {
  await app.click(await app.find('[data-testid="scope"]'));
  await app.execute(
    `const boxes = [...document.querySelectorAll('[data-testid="scope-document"]')];
     for (const b of boxes) if (b.checked !== b.parentElement.textContent.includes(arguments[0])) b.click();`,
    [name],
  );
  await app.click(await app.find('[data-testid="scope"]'));
  await app.type(await app.find('[data-testid="question"]'), `${question}${Keys.Enter}`);
  return app.until(
    'a finished answer',
    async () => {
      const found = await app.findAll('[data-testid="answer"]');
      if (found.length !== answers) return false;
      return (await app.attribute(found[answers - 1], 'aria-busy')) !== 'true' && found[answers - 1];
    },
    { timeout: 90000 },
  );
}

/**
 * What the viewer shows now: page counter, zoom, sheet and stage widths, and the strong
 * marks (`marks`: on screen; `onPage`: as fractions of their page sheet, to compare with
 * where the words are).
 */
export const viewerState = (app) =>
  app.execute(`
    const stage = document.querySelector('[data-testid="viewer-stage"]');
    const s = stage.getBoundingClientRect();
    const highlights = [...document.querySelectorAll('[data-testid="highlight"]')];
    const marks = highlights.map((h) => h.getBoundingClientRect());
    const sheet = document.querySelector('[data-testid="page-image"]')?.closest('[data-testid="page-sheet"]');
    const marked = highlights[0]?.closest('[data-testid="page-sheet"]');
    const p = marked?.getBoundingClientRect();
    return {
      page: document.querySelector('[data-testid="viewer-page"]').textContent.trim(),
      zoom: document.querySelector('[data-testid="viewer-zoom"]').textContent.trim(),
      stageWidth: stage.clientWidth,
      sheetWidth: sheet ? sheet.getBoundingClientRect().width : 0,
      sheetHeight: marked ? p.height : 0,
      markedPage: marked ? Number(marked.dataset.page) : null,
      shades: document.querySelectorAll('[data-testid="passage-shade"]').length,
      marks: marks.map((r) => ({ w: r.width, h: r.height, visible: r.bottom > s.top && r.top < s.bottom })),
      onPage: p ? marks.map((r) => ({ x0: (r.left - p.left) / p.width, y0: (r.top - p.top) / p.height,
        x1: (r.right - p.left) / p.width, y1: (r.bottom - p.top) / p.height })) : [],
      focusInViewer: !!document.activeElement?.closest('[data-testid="page-viewer"]'),
    };`);

export async function waitForHighlight(app) {
  return app.until(
    'the cited page drawn with its highlight',
    async () => {
      const state = await viewerState(app);
      return state.marks.length > 0 && state.sheetWidth > 0 && state.marks.some((m) => m.visible) && state;
    },
    { timeout: 30000 },
  );
}
