// Folio's real window, driven like a person would drive it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { corpusPdf, dropFilesOn, screenshots, startDriver } from './harness.mjs';
import { startModelMirror } from './model-mirror.mjs';
import { startRecordingProxy } from './recording-proxy.mjs';
import { look } from './look.mjs';
import { Keys } from './webdriver.mjs';

let driver;
let app;
let mirror;

before(async () => {
  // Real weights (SmolLM2-135M-Instruct), so the written-answer journey sees what a small
  // model really writes and what Folio makes of it.
  assert.ok(process.env.FOLIO_SMOLLM2_GGUF, 'FOLIO_SMOLLM2_GGUF is not set: run the suite through scripts/test.sh');
  mirror = await startModelMirror(process.env.FOLIO_SMOLLM2_GGUF);
  driver = await startDriver({ FOLIO_MODEL_MIRROR: mirror.url });
  app = await driver.launch();
});

after(async () => {
  await app?.quit();
  driver?.stop();
  mirror?.close();
});

const dropFiles = (paths) => dropFilesOn(app, paths);

/** Waits until the open conversation lists `count` documents, none still working. */
async function settledRows(count, timeout = 90000) {
  return app.until(
    `${count} settled documents`,
    async () => {
      const found = await app.findAll('[data-testid="document-row"]');
      if (found.length !== count) return false;
      const stages = await Promise.all(found.map((el) => app.property(el, 'dataset').then((d) => d.stage)));
      return stages.every((st) => st === 'ready' || st === 'failed') && found;
    },
    { timeout },
  );
}

async function rowTexts() {
  return Promise.all((await app.findAll('[data-testid="document-row"]')).map((el) => app.text(el)));
}

/**
 * Types a question, sends it with Enter, and waits for the newest answer to finish:
 * with citation chips, or (`cited: false`, for backends whose answers name no pages)
 * with the note saying so.
 */
async function ask(question, { answers = 1, timeout = 60000, cited = true } = {}) {
  await app.type(await app.find('[data-testid="question"]'), `${question}\uE007`);
  const foot = cited ? '[data-testid="citation"]' : '[data-testid="no-sources"]';
  return app.until(
    'a finished answer',
    async () => {
      const found = await app.findAll('[data-testid="answer"]');
      if (found.length !== answers) return false;
      const busy = await app.attribute(found[answers - 1], 'aria-busy');
      const marks = await app.findAll(foot);
      return busy !== 'true' && marks.length > 0 && app.text(found[answers - 1]);
    },
    { timeout },
  );
}

/** Waits for the sidebar to list a conversation of this name, and returns its entry. */
async function sidebarItem(name, timeout = 15000) {
  return app.until(
    `"${name}" in the sidebar`,
    async () => {
      const items = await app.findAll('[data-testid="conversation-item"]');
      // textContent: WebKitWebDriver's element text comes back empty for these buttons.
      const names = await Promise.all(items.map((el) => app.property(el, 'textContent')));
      const i = names.findIndex((n) => n.trim() === name);
      return i >= 0 && items[i];
    },
    { timeout },
  );
}

async function startNewConversation() {
  await app.click(await app.find('[data-testid="new-conversation"]'));
  await app.find('[data-testid="empty-state"]');
}

/**
 * Exports the open conversation through the real save dialog: Export opens GTK's file
 * chooser (a native window WebDriver cannot reach), so xdotool types the path into it
 * like a person would. Returns the saved file (Markdown or a web page, by its name).
 */
async function exportConversation(path) {
  await app.click(await app.find('[data-testid="export"]'));
  const [dialog] = execFileSync('xdotool', ['search', '--sync', '--onlyvisible', '--name', '^Export conversation$'], {
    timeout: 20000,
  })
    .toString()
    .trim()
    .split('\n');
  // Only a mapped window can take focus (the search can otherwise find the dialog a moment
  // before it is shown). No window manager under Xvfb: focus the dialog directly, then
  // type as a person would.
  execFileSync('xdotool', ['windowfocus', '--sync', dialog]);
  execFileSync('xdotool', ['key', '--clearmodifiers', 'ctrl+a']);
  execFileSync('xdotool', ['type', '--delay', '20', path]);
  execFileSync('xdotool', ['key', 'Return']);
  await app.until('the saved notice', async () =>
    (await app.text(await app.find('main'))).includes(`Saved to ${path}`),
  );
  return readFileSync(path, 'utf8');
}

/** Restarts the app and opens `name` again: the chat comes back from the backend's history. */
async function reopenedAfterRestart(name, answers) {
  await app.quit();
  app = await driver.launch();
  await app.click(await sidebarItem(name, 60000));
  return app.until(
    'the chat from before the restart',
    async () => {
      const found = await app.findAll('[data-testid="answer"]');
      return found.length === answers && found;
    },
    { timeout: 30000 },
  );
}

describe('Folio window', () => {
  test('a first start shows the empty state inviting files', async () => {
    const empty = await app.find('[data-testid="empty-state"]');
    const text = await app.text(empty);
    assert.match(text, /Drop files here to start a conversation/);
    assert.match(text, /Choose files/);
    await app.screenshot(join(screenshots, '01-empty-state.png'));
  });

  test('two PDFs and a broken file: the PDFs become ready, the broken one says why; a scoped question opens its page', async () => {
    const landscape = corpusPdf('lscape.pdf');
    const afterpage = corpusPdf('afterpage.pdf');
    const broken = join(driver.home, 'Broken scan.pdf');
    writeFileSync(broken, '%PDF-1.7\n1 0 obj << /Type /Catalog');
    await dropFiles([landscape, afterpage, broken]);

    await app.find('[data-testid="conversation"]');
    await settledRows(3);
    const texts = await rowTexts();
    const row = (name) => texts.find((t) => t.includes(name)) ?? assert.fail(`${name} not listed in ${texts}`);
    assert.match(row('lscape.pdf'), /Ready/);
    assert.match(row('afterpage.pdf'), /Ready/);
    assert.match(row('Broken scan.pdf'), /Failed/);
    assert.match(row('Broken scan.pdf'), /Broken scan\.pdf/, 'the reason names the file');
    assert.match(row('Broken scan.pdf'), /Retry/);
    await look(app, '02-documents-processed');

    // Ask about lscape.pdf only.
    await app.click(await app.find('[data-testid="scope"]'));
    const boxes = await app.findAll('[data-testid="scope-document"]');
    const labels = await app.execute(
      `return [...document.querySelectorAll('[data-testid="scope-document"]')].map((b) => b.parentElement.textContent)`,
    );
    await app.click(boxes[labels.findIndex((l) => l.includes('lscape.pdf'))]);
    await app.click(await app.find('[data-testid="scope"]'));
    assert.match(await app.text(await app.find('[data-testid="scope"]')), /lscape\.pdf/);

    const answer = await ask('What does the landscape environment do to the pages?');
    assert.match(answer, /90 degrees|rotat/i);
    const chips = await app.findAll('[data-testid="citation"]');
    const chipTexts = await Promise.all(chips.map((el) => app.text(el)));
    assert.ok(
      chipTexts.every((c) => c.startsWith('lscape.pdf, p. ')),
      `a scoped answer cites only its document: ${chipTexts}`,
    );
    await look(app, '03-cited-answer');

    // The citation opens its page with the passage highlighted.
    await app.click(chips[0]);
    await app.find('[data-testid="page-viewer"]');
    await app.until(
      'the page picture',
      async () => {
        const img = await app.find('[data-testid="page-image"]');
        return (await app.property(img, 'naturalWidth')) > 0;
      },
      { timeout: 30000 },
    );
    // The marks come with the cited page's text, which may land after a neighbour's picture.
    await app.until(
      'the cited passage highlighted on the page',
      async () => (await app.findAll('[data-testid="highlight"]')).length > 0,
      { timeout: 30000 },
    );
    const rect = await app.execute(
      `const r = document.querySelector('[data-testid="highlight"]').getBoundingClientRect(); return [r.width, r.height]`,
    );
    assert.ok(rect[0] > 5 && rect[1] > 3, `the highlight has a size on the page: ${rect}`);
    await app.click(await app.find('[data-testid="viewer-details"]'));
    assert.match(await app.text(await app.find('[data-testid="document-details"]')), /PDF/);
    await look(app, '04-page-with-highlight');
    await app.click(await app.find('[data-testid="viewer-close"]'));

    // The sidebar entry is clipped with an ellipsis, so read its text content.
    const entry = () => app.find('[data-testid="conversation-item"]').then((el) => app.property(el, 'textContent'));
    assert.match(await app.until('the sidebar entry', async () => (await entry()).trim()), /lscape and 2 more/);

    await app.click(await app.find('[data-testid="rename"]'));
    const input = await app.find('[data-testid="rename-input"]');
    await app.clear(input);
    await app.type(input, 'LaTeX packages');
    await app.type(await app.find('[data-testid="rename-description"]'), 'lscape and afterpage manuals');
    await app.click(await app.find('[data-testid="rename-save"]'));
    // Read as text content: a long title is clipped to one line with an ellipsis.
    await app.until(
      'the new title',
      async () =>
        (await app.property(await app.find('[data-testid="conversation-title"]'), 'textContent')) === 'LaTeX packages',
    );
    await app.until('the renamed sidebar entry', async () => (await entry()).trim() === 'LaTeX packages');

    await app.click(await app.find('[data-testid="delete"]'));
    assert.match(await app.text(await app.find('[data-testid="confirm-delete"]')), /3 documents and its chat history/);
    await look(app, '05-confirm-delete');
    await app.click(await app.find('[data-testid="confirm-delete-yes"]'));
    await app.find('[data-testid="empty-state"]');
    // The list refreshes a moment after the empty state shows (once seen still listing it).
    await app.until(
      'the sidebar without it',
      async () => (await app.findAll('[data-testid="conversation-item"]')).length === 0,
    );
  });

  test('a document holding <script> and <img onerror> shows them as text', async () => {
    const hostile = join(driver.home, 'Hostile page.html.txt');
    writeFileSync(
      hostile,
      [
        'Visitor policy for the archive.',
        'The archive code is <script>window.__folioHacked = "script"</script> kept at the desk.',
        'Badge photos: <img src="x" onerror="window.__folioHacked = \'img\'"> are taken at entry.',
      ].join('\n'),
    );
    await dropFiles([hostile]);
    await settledRows(1);
    const answer = await ask('What is the archive code kept at?');
    assert.match(answer, /<script>window\.__folioHacked = "script"<\/script>/, 'the script tag is shown as text');
    const injected = await app.execute(
      `return { hacked: window.__folioHacked ?? null,
                elements: document.querySelectorAll('[data-testid="answer"] script, [data-testid="answer"] img').length }`,
      [],
    );
    assert.deepEqual(injected, { hacked: null, elements: 0 });
    // The cited page shows the same text, inert too.
    await app.click((await app.findAll('[data-testid="citation"]'))[0]);
    const page = await app.text(await app.find('[data-testid="page-text"]'));
    assert.match(page, /onerror=/);
    assert.equal(await app.execute('return window.__folioHacked ?? null', []), null);
    await app.screenshot(join(screenshots, '06-hostile-text-inert.png'));
    await app.click(await app.find('[data-testid="viewer-close"]'));

    // A folder dropped on the open conversation adds the files in it and its subfolders.
    const folder = join(driver.home, 'Archive extras');
    mkdirSync(join(folder, 'old'), { recursive: true });
    writeFileSync(join(folder, 'Opening hours.txt'), 'The archive opens at nine.\n');
    writeFileSync(join(folder, 'old', 'Rules.md'), '# Rules\n\nNo food in the reading room.\n');
    await dropFiles([folder]);
    await settledRows(3);
    const names = await Promise.all(
      (await app.findAll('[data-testid="document-row"] .name')).map((el) => app.text(el)),
    );
    assert.deepEqual([...names].sort(), ['Hostile page.html.txt', 'Opening hours.txt', 'Rules.md']);
  });

  test('a chatbot made from a conversation answers with its sources', async () => {
    // The conversation from the previous journey is still open.
    await app.click(await app.find('[data-testid="open-chatbots"]'));
    await app.find('[data-testid="chatbots-empty"]');
    await app.click(await app.find('[data-testid="chatbot-new"]'));
    await app.type(await app.find('[data-testid="chatbot-name"]'), 'Archive desk');
    await app.find('[data-testid="chatbot-conversation"]');
    await app.execute(
      `const s = document.querySelector('[data-testid="chatbot-conversation"]');
       s.value = s.options[s.options.length - 1].value; s.dispatchEvent(new Event('change', { bubbles: true }));`,
    );
    await app.click(await app.find('[data-testid="chatbot-create"]'));
    await app.until(
      'the chatbot is listed',
      async () => (await app.findAll('[data-testid="chatbot-item"]')).length === 1,
    );
    await app.type(await app.find('[data-testid="chatbot-question"]'), 'When are badge photos taken?');
    await app.click(await app.find('[data-testid="chatbot-ask"]'));
    const reply = await app.until(
      'the chatbot reply',
      async () => {
        const found = await app.findAll('[data-testid="chatbot-reply"]');
        return found.length === 1 && app.text(found[0]);
      },
      { timeout: 60000 },
    );
    assert.match(reply, /entry/);
    const sources = await Promise.all((await app.findAll('[data-testid="chatbot-source"]')).map((el) => app.text(el)));
    assert.ok(
      sources.some((s) => s.startsWith('Hostile page.html.txt')),
      `sources: ${sources}`,
    );
    await look(app, '07-chatbot-reply');
    await app.click((await app.findAll('[data-testid="chatbot-source"]'))[0]);
    await app.find('[data-testid="page-text"]');
    await app.click(await app.find('[data-testid="viewer-close"]'));
    await app.click(await app.find('[data-testid="chatbot-delete"]'));
    await app.click(await app.find('[data-testid="chatbot-delete-yes"]'));
    await app.find('[data-testid="chatbots-empty"]');
    await startNewConversation();
  });

  test('an answer travels: exported as a web page and as Markdown, each quote a footnote with its page, and copied with its sources', async () => {
    await startNewConversation();
    await dropFiles([corpusPdf('afterpage.pdf')]);
    await app.find('[data-testid="conversation"]');
    await settledRows(1);
    await ask('What does the afterpage command do?');
    const shown = await app.execute(
      `const a = document.querySelector('[data-testid="answer"]');
       return { quotes: [...a.querySelectorAll('[data-testid="answer-sentence"]')].map((s) => s.textContent.replace(/”$/, '')),
         chips: [...a.querySelectorAll('[data-testid="citation"]')].map((c) => c.textContent.trim()) };`,
      [],
    );
    assert.ok(shown.quotes.length > 0, `no quoted sentences: ${JSON.stringify(shown)}`);
    const pages = shown.chips.map((c) => /^afterpage\.pdf, p\. (\d+)$/.exec(c)?.[1] ?? assert.fail(`chip ${c}`));

    // Copy answer: the clipboard holds the answer and a numbered source per quote, and
    // the window says so to screen readers.
    await app.click(await app.find('[data-testid="copy-answer"]'));
    await app.until(
      'the copied status',
      async () =>
        (await app.property(await app.find('[data-testid="copy-status"]'), 'textContent')) ===
        'Answer copied with its sources',
    );
    // Read back as a person would: pasted into the question box (WebKit keeps
    // navigator.clipboard.readText from pages).
    const box = await app.find('[data-testid="question"]');
    await app.click(box);
    await app.press([Keys.Control, 'v']);
    const copied = await app.until('the pasted answer', async () => app.property(box, 'value'));
    await app.clear(box);
    for (const quote of shown.quotes) assert.ok(copied.includes(quote), `copied text lacks "${quote}": ${copied}`);
    const copiedSources = copied.split('\nSources:\n')[1] ?? assert.fail(`no sources in ${copied}`);
    for (const line of copiedSources.split('\n')) assert.match(line, /^\[\d+\] “.+” — afterpage\.pdf, page \d+$/);

    // Export as a web page: the answer's quotes are there, each with a footnote naming the
    // document and a page the answer cites; nothing runs; it parses even as strict XML.
    const htmlPath = join(driver.home, 'afterpage-export.html');
    const html = await exportConversation(htmlPath);
    assert.doesNotMatch(html, /<script/i);
    const page = await app.execute(
      `const [html] = arguments;
       const xml = new DOMParser().parseFromString(html.replace('<!DOCTYPE html>', ''), 'application/xml');
       const doc = new DOMParser().parseFromString(html, 'text/html');
       return { xmlError: xml.querySelector('parsererror')?.textContent ?? null,
         scripts: doc.querySelectorAll('script, iframe, img, link, object, embed').length,
         title: doc.title, question: doc.querySelector('.question')?.textContent ?? '',
         answer: doc.querySelector('.answer')?.textContent ?? '',
         refs: [...doc.querySelectorAll('.answer sup.ref a')].map((a) => a.getAttribute('href')),
         notes: [...doc.querySelectorAll('.footnotes li')].map((li) => ({ id: li.id, text: li.textContent })) };`,
      [html],
    );
    assert.equal(page.xmlError, null, 'the page is well-formed');
    assert.equal(page.scripts, 0);
    assert.equal(page.title, 'afterpage');
    assert.match(page.question, /What does the afterpage command do\?/);
    for (const quote of shown.quotes) assert.ok(page.answer.includes(quote), `the page lacks "${quote}"`);
    assert.ok(page.refs.length >= shown.quotes.length, `a note per quote: ${JSON.stringify(page)}`);
    for (const ref of page.refs)
      assert.ok(
        page.notes.some((n) => `#${n.id}` === ref),
        `${ref} has its note`,
      );
    for (const note of page.notes) {
      const cited = /— afterpage\.pdf, page (\d+)/.exec(note.text);
      assert.ok(
        cited && pages.includes(cited[1]),
        `the note names the document and a cited page: ${note.text} (pages ${pages})`,
      );
    }

    // And as Markdown: the same quotes, each [^n] defined as “quote” — document, page.
    const markdown = await exportConversation(join(driver.home, 'afterpage-export.md'));
    assert.match(markdown, /^# afterpage\n\n.*Exported on \d{1,2} \w+ \d{4}/s);
    assert.match(markdown, /## 1\. What does the afterpage command do\?/);
    for (const quote of shown.quotes) assert.ok(markdown.includes(quote), `the Markdown lacks "${quote}"`);
    const used = new Set(markdown.match(/\[\^\d+\](?!:)/g));
    const defined = markdown.split('\n').filter((l) => /^\[\^\d+\]: /.test(l));
    assert.ok(used.size >= shown.quotes.length && defined.length === used.size, `${[...used]} vs ${defined}`);
    for (const line of defined) {
      const cited = /^\[\^\d+\]: “.+” — afterpage\.pdf, page (\d+)$/.exec(line);
      assert.ok(cited && pages.includes(cited[1]), `footnote: ${line}`);
    }

    // The web page opened in the window, as someone who was sent it would see it; its
    // print stylesheet is there for paper.
    await app.cmd('POST', '/url', { url: pathToFileURL(htmlPath).href });
    await app.until('the exported page', async () => (await app.execute('return document.title', [])) === 'afterpage');
    const print = await app.execute(
      `const rules = [...document.styleSheets].flatMap((s) => [...s.cssRules]);
       const media = rules.find((r) => r.media && r.media.mediaText === 'print');
       return { scripts: document.scripts.length, print: media ? [...media.cssRules].map((r) => r.cssText).join(' ') : '' };`,
      [],
    );
    assert.equal(print.scripts, 0);
    assert.match(print.print, /break-inside: avoid/);
    assert.match(print.print, /background: none/);
    await app.screenshot(join(screenshots, '07b-exported-web-page.png'));
    // On paper (the print rules applied on screen): no backgrounds or cards, the sources last.
    await app.execute(
      `const media = [...document.styleSheets].flatMap((s) => [...s.cssRules]).find((r) => r.media?.mediaText === 'print');
       const style = document.createElement('style');
       style.textContent = [...media.cssRules].filter((r) => !r.cssText.startsWith('@page')).map((r) => r.cssText).join('\\n');
       document.head.append(style);`,
      [],
    );
    await app.screenshot(join(screenshots, '07c-exported-web-page-as-printed.png'));
    await app.quit();
    app = await driver.launch();
  });

  test('a quoted answer offers the recommended model; once downloaded (from loopback) its answer shows a mark on each sentence', async () => {
    await startNewConversation();
    const note = join(driver.home, 'Museum hours.txt');
    writeFileSync(
      note,
      'City museum visitor guide.\nThe museum is closed on Mondays and opens at ten on other days.\n',
    );
    await dropFiles([note]);
    await settledRows(1);
    await ask('When is the museum closed?');
    await app.find('[data-testid="model-offer"]');
    // Held half-way, the download is looked at under the answer and in Settings.
    mirror.hold();
    await app.click(await app.find('[data-testid="model-offer-download"]'));
    const underWay = (where) =>
      app.until(
        `the download under way ${where}`,
        async () => {
          const bars = await app.findAll(`${where} [role="progressbar"]`);
          return bars.length === 1 && Number(await app.attribute(bars[0], 'aria-valuenow')) > 0;
        },
        { timeout: 60000 },
      );
    await underWay('[data-testid="model-offer"]');
    await look(app, '08a-model-offer-downloading');
    await app.click(await app.find('[data-testid="open-settings"]'));
    await underWay('[data-testid="model-manager"]');
    // The models are below the fold of Settings: in the picture, show them.
    await app.execute(`document.querySelector('[data-testid="model-manager"]').scrollIntoView({ block: 'center' });`);
    await look(app, '08b-settings-model-downloading');
    mirror.release();
    await app.click(await app.find('[data-testid="close-settings"]'));
    await app.click(await sidebarItem('Museum hours'));
    await app.until('the chat back', async () => (await app.findAll('[data-testid="answer"]')).length === 1);
    // The offer goes once the model is installed (Automatic then picks it).
    await app.until(
      'the model installed',
      async () => (await app.findAll('[data-testid="model-offer"]')).length === 0,
      { timeout: 120000 },
    );
    assert.ok(
      mirror.requests.some((r) => r.startsWith('GET ') && r.endsWith('.gguf')),
      `mirror saw: ${mirror.requests}`,
    );

    await app.type(await app.find('[data-testid="question"]'), 'Which day is the museum closed?\uE007');
    const written = await app.until(
      'an answer from the built-in model',
      async () => {
        const found = await app.findAll('[data-testid="answer"]');
        if (found.length !== 2) return false;
        return (await app.attribute(found[1], 'aria-busy')) !== 'true' && found[1];
      },
      { timeout: 120000 },
    );
    const labels = await app.execute(
      `return [...document.querySelectorAll('[data-testid="answer"]')].map((a) => a.querySelector('.label')?.textContent ?? '')`,
      [],
    );
    assert.match(labels[0], /Quoted from your documents/);
    assert.ok((await app.text(written)).trim().length > 0);
    // Whatever the small model wrote, each sentence shown carries its page or a plain
    // "not found"; an answer Folio could not check is quoted after one sentence saying why.
    const marks = await app.execute(
      `const a = [...document.querySelectorAll('[data-testid="answer"]')][1];
       return { sentences: a.querySelectorAll('[data-testid="answer-sentence"]').length,
         cited: a.querySelectorAll('[data-testid="sentence-citation"]').length,
         unfound: a.querySelectorAll('[data-testid="not-found"]').length,
         text: a.querySelector('[data-testid="answer-text"]').textContent };`,
      [],
    );
    assert.ok(marks.sentences > 0, `no checked sentences: ${JSON.stringify(marks)}`);
    assert.equal(marks.cited + marks.unfound, marks.sentences, JSON.stringify(marks));
    if (labels[1] !== '') assert.match(marks.text, /^The built-in model/, 'a fallback says why first');
    await app.screenshot(join(screenshots, '08-builtin-model-answer.png'));

    await app.click(await app.find('[data-testid="open-settings"]'));
    const row = await app.until('the model manager', async () => {
      const rows = await app.findAll('[data-testid="model-row"]');
      const texts = await Promise.all(rows.map((r) => app.text(r)));
      return texts.find((t) => t.includes('In use'));
    });
    assert.match(row, /Installed|Delete|In use/);
    await app.execute(`document.querySelector('[data-testid="model-manager"]').scrollIntoView({ block: 'center' });`);
    await look(app, '09-model-in-use');
    await app.click(await app.find('[data-testid="close-settings"]'));
  });

  test('settings change, save, and are still there after a restart', async () => {
    await app.click(await app.find('[data-testid="open-settings"]'));
    // An explicit Ollama that is not running: the Test button says so in words.
    await app.click(await app.find('[data-testid="llm-ollama"]'));
    const endpoint = await app.find('[data-testid="llm-endpoint"]');
    await app.clear(endpoint);
    await app.type(endpoint, 'http://127.0.0.1:11500');
    await app.click(await app.find('[data-testid="llm-test"]'));
    const tested = await app.until('the model test result', async () =>
      app.text(await app.find('[data-testid="llm-test-result"]')),
    );
    assert.match(tested, /Ollama is not running at http:\/\/127\.0\.0\.1:11500/);
    await look(app, '10-settings-model-test');

    await app.click(await app.find('[data-testid="backend-aihub"]'));
    const context = await app.find('[data-testid="aihub-ib-context"]');
    await app.clear(context);
    await app.type(context, 'org-e2e');
    const token = await app.find('[data-testid="aihub-token"]');
    await app.type(token, 'e2e-secret-token-4711');
    await app.click(await app.find('[data-testid="aihub-token-save"]'));
    const tokenMessage = await app.text(await app.find('[data-testid="aihub-token-message"]'));
    assert.equal(tokenMessage, 'Token saved in your system keychain.');
    await app.click(await app.find('[data-testid="save-settings"]'));
    const status = await app.find('[data-testid="settings-status"]');
    assert.equal(await app.text(status), 'Saved');
    await look(app, '11-settings-saved');

    await app.quit();
    app = await driver.launch();

    await app.click(await app.find('[data-testid="open-settings"]'));
    await app.until('the saved backend', async () =>
      app.property(await app.find('[data-testid="backend-aihub"]'), 'checked'),
    );
    assert.equal(await app.property(await app.find('[data-testid="aihub-ib-context"]'), 'value'), 'org-e2e');
    const tokenHint = await app.until('the stored-token hint', async () => {
      const placeholder = await app.property(await app.find('[data-testid="aihub-token"]'), 'placeholder');
      return placeholder.startsWith('A token is saved') && placeholder;
    });
    assert.match(tokenHint, /A token is saved/);
    // The language-model choice was kept too (shown for the local backend).
    await app.click(await app.find('[data-testid="backend-local"]'));
    assert.equal(await app.property(await app.find('[data-testid="llm-ollama"]'), 'checked'), true);
    assert.equal(await app.property(await app.find('[data-testid="llm-endpoint"]'), 'value'), 'http://127.0.0.1:11500');
    const stored = readFileSync(join(driver.env.XDG_DATA_HOME, 'app.folio.desktop.e2e', 'settings.json'), 'utf8');
    assert.match(stored, /org-e2e/);
    assert.doesNotMatch(stored, /e2e-secret-token-4711/, 'the token must live in the keychain, not the settings file');
    await app.screenshot(join(screenshots, '12-settings-after-restart.png'));

    // "Allow scripts to use Folio": an AI Hub request with the shown token is answered.
    await app.click(await app.find('[data-testid="allow-scripts"]'));
    const apiRoot = await app.text(await app.find('[data-testid="script-api-root"]'));
    const scriptToken = await app.text(await app.find('[data-testid="script-token"]'));
    const listed = await fetch(`${apiRoot}/v2/conversations`, { headers: { Authorization: `Bearer ${scriptToken}` } });
    assert.equal(listed.status, 200);
    assert.ok(Array.isArray((await listed.json()).conversations));
    assert.equal((await fetch(`${apiRoot}/v2/conversations`)).status, 401);
    await app.screenshot(join(screenshots, '13-scripts-allowed.png'));

    // Back on this computer, the conversations, their documents' status and their chats
    // from before the restart are all there.
    await app.click(await app.find('[data-testid="save-settings"]'));
    await app.find('[data-testid="settings-status"]');
    await app.click(await app.find('[data-testid="close-settings"]'));
    await app.click(await sidebarItem('Museum hours'));
    await settledRows(1);
    assert.match((await rowTexts())[0], /Ready/);
    const answers = await app.until('the chat from before the restart', async () => {
      const found = await app.findAll('[data-testid="answer"]');
      return found.length === 2 && found;
    });
    assert.match(await app.text(answers[0]), /closed on Mondays/);
  });

  test('with AI Hub pointed at `folio serve` on loopback, a dropped file becomes a conversation that answers', async () => {
    const cli = process.env.FOLIO_E2E_CLI;
    assert.ok(cli, 'FOLIO_E2E_CLI is not set: run the suite through scripts/test.sh');
    const serveToken = 'e2e-aihub-token-0123456789';
    const server = spawn(
      cli,
      ['serve', '--port', '0', '--data-dir', join(driver.home, 'serve-data'), '--token', serveToken],
      {
        env: driver.env,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let proxy;
    try {
      const [line] = await once(createInterface({ input: server.stdout }), 'line');
      const apiRoot = JSON.parse(line).api_root;
      assert.match(apiRoot, /^http:\/\/127\.0\.0\.1:\d+/);
      // Folio talks to `folio serve` through a recording proxy, so the journey sees the wire.
      // AI Hub chatbot queries that never finish, so the person can stop one.
      proxy = await startRecordingProxy(apiRoot, (r) => {
        if (r.method === 'POST' && r.path.endsWith('/v2/queries')) return { status: 202, body: { query_id: 'q-slow' } };
        if (r.method === 'GET' && r.path.endsWith('/v2/queries/q-slow'))
          return { status: 200, body: { query_id: 'q-slow', status: 'RUNNING' } };
        return null;
      });
      const windowRoot = `${proxy.url}${new URL(apiRoot).pathname}`;

      await app.click(await app.find('[data-testid="open-settings"]'));
      await app.click(await app.find('[data-testid="backend-aihub"]'));
      const root = await app.find('[data-testid="aihub-api-root"]');
      await app.clear(root);
      await app.type(root, windowRoot);
      // An organisation account: context, organisation and workspace, as AI Hub asks.
      for (const [field, value] of [
        ['aihub-ib-context', 'org-e2e'],
        ['aihub-org', 'org-e2e'],
        ['aihub-workspace', 'ws-e2e'],
      ]) {
        const input = await app.find(`[data-testid="${field}"]`);
        await app.clear(input);
        await app.type(input, value);
      }
      await app.type(await app.find('[data-testid="aihub-token"]'), serveToken);
      await app.click(await app.find('[data-testid="aihub-token-save"]'));
      await app.find('[data-testid="aihub-token-message"]');
      await app.click(await app.find('[data-testid="aihub-test"]'));
      const tested = await app.until('the connection test', async () =>
        app.text(await app.find('[data-testid="aihub-test-result"]')),
      );
      assert.match(tested, /^Connected to /);
      await app.click(await app.find('[data-testid="save-settings"]'));
      await app.find('[data-testid="settings-status"]');
      await look(app, '14-aihub-connected');
      await app.click(await app.find('[data-testid="close-settings"]'));

      const note = join(driver.home, 'Ferry timetable.txt');
      writeFileSync(note, 'Island ferry timetable.\nThe first ferry leaves pier 3 at 7:40 every weekday.\n');
      await dropFiles([note]);
      await app.find('[data-testid="conversation"]');
      await settledRows(1, 120000);
      assert.match((await rowTexts())[0], /Ready/);
      // Conversations v2 answers carry no sources on the wire, so the chat says no pages
      // were named; Folio's server writes the file's name into the quoted answer itself.
      const answer = await ask('When does the first ferry leave?', { timeout: 120000, cited: false });
      assert.match(answer, /7:40/);
      assert.match(answer, /Ferry timetable\.txt/);
      await app.screenshot(join(screenshots, '15-aihub-answer.png'));

      // The settings reached the wire where SDK 0.13 sends them: IB-Context on every
      // call, the organisation and workspace in the create form.
      const create = proxy.seen.find((r) => r.method === 'POST' && r.path.endsWith('/v2/conversations'));
      assert.ok(create, `requests: ${proxy.seen.map((r) => `${r.method} ${r.path}`)}`);
      const fields = Object.fromEntries(create.fields);
      assert.deepEqual([fields.name, fields.org, fields.workspace], ['Ferry timetable', 'org-e2e', 'ws-e2e']);
      assert.ok(
        proxy.seen.every((r) => r.headers['ib-context'] === 'org-e2e'),
        'IB-Context on every request',
      );

      // The conversation lives on the server: its own API lists it.
      const listed = await fetch(`${apiRoot}/v2/conversations`, { headers: { Authorization: `Bearer ${serveToken}` } });
      const names = (await listed.json()).conversations.map((c) => c.name);
      assert.ok(names.includes('Ferry timetable'), `server conversations: ${names}`);

      // AI Hub cannot read prompts back, so Folio kept the chat: after a restart it is there.
      await app.quit();
      app = await driver.launch();
      await app.click(await sidebarItem('Ferry timetable', 60000));
      const kept = await app.until('the kept chat', async () => {
        const found = await app.findAll('[data-testid="answer"]');
        return found.length === 1 && found[0];
      });
      assert.match(await app.text(kept), /7:40/);

      // An AI Hub chatbot that does not answer: the person stops the question.
      await app.click(await app.find('[data-testid="open-chatbots"]'));
      await app.type(await app.find('[data-testid="aihub-chatbot-id"]'), 'bot-e2e\uE007');
      await app.find('[data-testid="chatbot-target"]');
      await app.type(await app.find('[data-testid="chatbot-question"]'), 'Which ferries run on Sundays?');
      await app.click(await app.find('[data-testid="chatbot-ask"]'));
      await app.until(
        'the chatbot working',
        async () => (await app.findAll('[data-testid="chatbot-running"]')).length === 1,
      );
      await app.until('a status request', async () => proxy.seen.some((r) => r.path.endsWith('/v2/queries/q-slow')));
      const started = proxy.seen.find((r) => r.method === 'POST' && r.path.endsWith('/v2/queries'));
      assert.ok(started, 'the query reached AI Hub');
      await app.click(await app.find('[data-testid="chatbot-stop"]'));
      const stopped = await app.until('the stopped note', async () => {
        const found = await app.findAll('[data-testid="chatbot-stopped"]');
        return found.length === 1 && app.text(found[0]);
      });
      assert.match(stopped, /^Stopped/);
      assert.equal((await app.findAll('[data-testid="chatbot-running"]')).length, 0);
      await app.screenshot(join(screenshots, '15b-aihub-chatbot-stopped.png'));
      // Stopping ends the polling: no more status requests after a moment.
      const polls = () => proxy.seen.filter((r) => r.path.endsWith('/v2/queries/q-slow')).length;
      const afterStop = polls();
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(polls(), afterStop, 'no status request after Stop');
      await startNewConversation();
    } finally {
      proxy?.close();
      server.kill();
    }
  });

  test('with Pieces OS chosen in Settings, a dropped file is asked about there and the answer cites its page', async () => {
    const standIn = process.env.FOLIO_E2E_PIECES;
    assert.ok(standIn, 'FOLIO_E2E_PIECES is not set: run the suite through scripts/test.sh');
    // Pieces OS cannot be installed here: a stand-in with memory speaks its wire protocol
    // (crates/folio-pieces/src/stand_in.rs) and quotes the first passage Folio sends it.
    const pieces = spawn(standIn, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const [line] = await once(createInterface({ input: pieces.stdout }), 'line');
      const address = JSON.parse(line).address;

      await app.click(await app.find('[data-testid="open-settings"]'));
      await app.click(await app.find('[data-testid="backend-pieces"]'));
      const field = await app.find('[data-testid="pieces-address"]');
      await app.clear(field);
      await app.type(field, address);
      await app.click(await app.find('[data-testid="pieces-test"]'));
      const tested = await app.until('the connection test', async () =>
        app.text(await app.find('[data-testid="pieces-test-result"]')),
      );
      assert.match(tested, /^Pieces OS answers at /);
      await app.click(await app.find('[data-testid="save-settings"]'));
      await app.find('[data-testid="settings-status"]');
      await look(app, '16-pieces-connected');
      await app.click(await app.find('[data-testid="close-settings"]'));

      const note = join(driver.home, 'Library rules.txt');
      writeFileSync(note, 'Town library rules.\nBooks may be borrowed for three weeks and renewed twice online.\n');
      await dropFiles([note]);
      await app.find('[data-testid="conversation"]');
      await settledRows(1);
      const answer = await ask('How long may books be borrowed?', { timeout: 120000 });
      assert.match(answer, /three weeks/, 'Pieces quoted the passage Folio sent it');
      const chips = await Promise.all((await app.findAll('[data-testid="citation"]')).map((el) => app.text(el)));
      assert.ok(
        chips.some((c) => c.startsWith('Library rules.txt')),
        `citations: ${chips}`,
      );
      await app.screenshot(join(screenshots, '17-pieces-answer.png'));
      // The sidebar lists Pieces' own conversations: the new one is there.
      const listed = await app.execute(
        `return [...document.querySelectorAll('[data-testid="conversation-item"]')].map((b) => b.textContent.trim())`,
        [],
      );
      assert.ok(listed.includes('Library rules'), `sidebar: ${listed}`);

      // After a restart the chat is still there, with its page, and Export carries it.
      const [kept] = await reopenedAfterRestart('Library rules', 1);
      assert.match(await app.text(kept), /three weeks/);
      const keptChips = await Promise.all((await app.findAll('[data-testid="citation"]')).map((el) => app.text(el)));
      assert.ok(
        keptChips.some((c) => c.startsWith('Library rules.txt')),
        `citations after restart: ${keptChips}`,
      );
      await app.screenshot(join(screenshots, '17b-pieces-after-restart.png'));
      const exported = await exportConversation(join(driver.home, 'pieces-export.md'));
      assert.match(exported, /How long may books be borrowed\?/);
      assert.match(exported, /three weeks/);
    } finally {
      pieces.kill();
    }
  });

  test('with Airia chosen in Settings (key in the keychain), a dropped file is asked about there and the answer cites its page', async () => {
    const standIn = process.env.FOLIO_E2E_AIRIA;
    assert.ok(standIn, 'FOLIO_E2E_AIRIA is not set: run the suite through scripts/test.sh');
    // Airia is a cloud service: a stand-in with memory speaks its wire protocol
    // (crates/folio-airia/src/stand_in.rs), accepts only this key and quotes passage [1].
    const key = 'airia-e2e-key-0123456789';
    const airia = spawn(standIn, [key, 'pipe-e2e'], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      const [line] = await once(createInterface({ input: airia.stdout }), 'line');
      const baseUrl = JSON.parse(line).base_url;

      await app.click(await app.find('[data-testid="open-settings"]'));
      await app.click(await app.find('[data-testid="backend-airia"]'));
      const url = await app.find('[data-testid="airia-base-url"]');
      await app.clear(url);
      await app.type(url, baseUrl);
      await app.type(await app.find('[data-testid="airia-user"]'), 'folio-e2e-user');
      await app.type(await app.find('[data-testid="airia-pipeline"]'), 'pipe-e2e');
      const keyField = await app.find('[data-testid="airia-key"]');
      await app.type(keyField, key);
      await app.click(await app.find('[data-testid="airia-key-save"]'));
      await app.until('the key saved', async () =>
        /^A key is saved/.test((await app.attribute(await app.find('[data-testid="airia-key"]'), 'placeholder')) ?? ''),
      );
      await app.click(await app.find('[data-testid="save-settings"]'));
      await app.find('[data-testid="settings-status"]');
      await app.click(await app.find('[data-testid="airia-test"]'));
      const tested = await app.until('the connection test', async () =>
        app.text(await app.find('[data-testid="airia-test-result"]')),
      );
      assert.match(tested, /^Connected: /);
      const stored = readFileSync(join(driver.env.XDG_DATA_HOME, 'app.folio.desktop.e2e', 'settings.json'), 'utf8');
      assert.doesNotMatch(stored, new RegExp(key), 'the key must live in the keychain, not the settings file');
      await look(app, '18-airia-connected');
      await app.click(await app.find('[data-testid="close-settings"]'));

      const note = join(driver.home, 'Boat hire.txt');
      writeFileSync(note, 'Lake boathouse.\nRowing boats can be hired for 12 euros an hour until sunset.\n');
      await dropFiles([note]);
      await app.find('[data-testid="conversation"]');
      await settledRows(1);
      const answer = await ask('How much does a rowing boat cost?', { timeout: 120000 });
      assert.match(answer, /12 euros an hour/, 'Airia quoted the passage Folio sent it');
      const chips = await Promise.all((await app.findAll('[data-testid="citation"]')).map((el) => app.text(el)));
      assert.ok(
        chips.some((c) => c.startsWith('Boat hire.txt')),
        `citations: ${chips}`,
      );
      await app.screenshot(join(screenshots, '19-airia-answer.png'));

      // After a restart the chat is still there, with its page, and Export carries it.
      const [kept] = await reopenedAfterRestart('Boat hire', 1);
      assert.match(await app.text(kept), /12 euros an hour/);
      const keptChips = await Promise.all((await app.findAll('[data-testid="citation"]')).map((el) => app.text(el)));
      assert.ok(
        keptChips.some((c) => c.startsWith('Boat hire.txt')),
        `citations after restart: ${keptChips}`,
      );
      // What Airia keeps about the conversation, and the document's details, from the window.
      await app.click(await app.find('[data-testid="source-facts"] summary'));
      const facts = await app.until("Airia's facts", async () => {
        const found = await app.findAll('[data-testid="source-fact"]');
        return found.length > 0 && Promise.all(found.map((el) => app.text(el)));
      });
      assert.ok(facts.includes('Boat hire'), `Airia's title: ${facts}`);
      assert.ok(facts.includes('no'), `not bookmarked: ${facts}`);
      await app.click(await app.find('[data-testid="document-details-toggle"]'));
      const docFacts = await app.text(await app.find('[data-testid="document-facts"]'));
      assert.match(docFacts, /Type\s*TEXT/);
      assert.match(docFacts, /Pages\s*1/);
      await app.screenshot(join(screenshots, '19b-airia-after-restart.png'));
      const exported = await exportConversation(join(driver.home, 'airia-export.md'));
      assert.match(exported, /How much does a rowing boat cost\?/);
      assert.match(exported, /12 euros an hour/);

      // Back on this computer: Airia's and Pieces' documents are theirs, not listed here.
      await app.click(await app.find('[data-testid="open-settings"]'));
      await app.click(await app.find('[data-testid="backend-local"]'));
      await app.click(await app.find('[data-testid="save-settings"]'));
      await app.find('[data-testid="settings-status"]');
      await app.click(await app.find('[data-testid="close-settings"]'));
      await sidebarItem('Museum hours');
      const local = await app.execute(
        `return [...document.querySelectorAll('[data-testid="conversation-item"]')].map((b) => b.textContent.trim())`,
        [],
      );
      assert.ok(!local.includes('Boat hire') && !local.includes('Library rules'), `On this computer: ${local}`);
      await app.screenshot(join(screenshots, '19c-local-list-without-remote-halves.png'));
    } finally {
      airia.kill();
    }
  });
});
