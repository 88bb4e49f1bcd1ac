// Looking at a screen the way the issue is judged: axe-core's accessibility rules run in
// the real window (injected through the WebDriver session), in light and in dark, and a
// screenshot of each. Serious or critical findings fail the test with what and where.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { screenshots } from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Light or dark, as the Appearance setting would set it (html[data-theme]). */
export async function setTheme(app, theme) {
  await app.execute(`document.documentElement.dataset.theme = arguments[0];`, [theme]);
  // The colours applied and any transition (the drop zone fades its background) over
  // before anything is measured: axe once caught a colour half-way.
  await app.executeAsync(`requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(arguments[0], 400)));`);
}

/** Serious and critical axe findings on the page as it is now, in words. */
export async function axeFindings(app) {
  const loaded = await app.execute('return typeof window.axe === "object"');
  if (!loaded) await app.execute(axeSource);
  const result = await app.executeAsync(
    `const done = arguments[0];
     window.axe.run(document, { resultTypes: ['violations'] })
       .then((r) => done(JSON.stringify(r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
         .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
           nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + (n.failureSummary ?? '').split('\\n').slice(0, 2).join(' ')) })))))
       .catch((e) => done(JSON.stringify([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }])));`,
  );
  return JSON.parse(result);
}

/**
 * Checks and photographs the current screen in light and in dark (`name.png` and
 * `name-dark.png`), then puts back the theme the app had.
 */
export async function look(app, name) {
  const before = await app.execute('return document.documentElement.dataset.theme ?? "light"');
  const problems = [];
  for (const theme of ['light', 'dark']) {
    await setTheme(app, theme);
    for (const finding of await axeFindings(app)) problems.push({ theme, ...finding });
    await app.screenshot(join(screenshots, theme === 'light' ? `${name}.png` : `${name}-dark.png`));
  }
  await setTheme(app, before);
  assert.deepEqual(
    problems,
    [],
    `${name}: serious or critical accessibility findings:\n${JSON.stringify(problems, null, 1)}`,
  );
}
