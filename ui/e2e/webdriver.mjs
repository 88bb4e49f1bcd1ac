// A small W3C WebDriver client: just the calls Folio's end-to-end tests need, over
// fetch, so the suite needs no browser download and no large framework.
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** WebDriver's codes for the keys the tests press. */
export const Keys = {
  Tab: '\uE004',
  Enter: '\uE007',
  Shift: '\uE008',
  Control: '\uE009',
  Escape: '\uE00C',
  PageUp: '\uE00E',
  PageDown: '\uE00F',
  ArrowLeft: '\uE012',
  ArrowRight: '\uE014',
};

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  static async start(driverUrl, capabilities, { attempts = 3 } = {}) {
    let lastError;
    for (let i = 0; i < attempts; i++) {
      try {
        const value = await request('POST', `${driverUrl}/session`, { capabilities: { alwaysMatch: capabilities } });
        return new Session(driverUrl, value.sessionId);
      } catch (err) {
        lastError = err;
        await sleep(1000);
      }
    }
    throw lastError;
  }

  cmd(method, path, body) {
    return request(method, `${this.base}/session/${this.id}${path}`, body);
  }

  /** Waits until an element matching `css` exists, and returns its id. */
  async find(css, { timeout = 15000 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        const value = await this.cmd('POST', '/element', { using: 'css selector', value: css });
        return Object.values(value)[0];
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`no element matches ${css}: ${err.message}`);
        await sleep(150);
      }
    }
  }

  async findAll(css) {
    const value = await this.cmd('POST', '/elements', { using: 'css selector', value: css });
    return value.map((el) => Object.values(el)[0]);
  }

  /** Waits until `check()` returns something truthy, and returns it. */
  async until(what, check, { timeout = 15000 } = {}) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await check();
        if (last) return last;
      } catch (err) {
        last = err;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
      await sleep(150);
    }
  }

  /**
   * Clicks like a person: when something is in the way (a layout still settling, a
   * progress line growing), waits a moment and tries again, as Playwright does; if it
   * stays in the way, the error says what covers the element.
   */
  async click(el) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.cmd('POST', `/element/${el}/click`, {});
      } catch (err) {
        if (!/intercepted/.test(err.message)) throw err;
        if (attempt < 10) {
          await sleep(200);
          continue;
        }
        const hit = await this.execute(
          `const r = arguments[0].getBoundingClientRect(); const x = r.left + r.width / 2, y = r.top + r.height / 2;
           const top = document.elementFromPoint(x, y);
           return { at: [Math.round(x), Math.round(y)], target: arguments[0].outerHTML.slice(0, 120), covering: top ? top.outerHTML.slice(0, 200) : null };`,
          [this.ref(el)],
        ).catch(() => null);
        throw new Error(`${err.message} ${JSON.stringify(hit)}`);
      }
    }
  }

  clear(el) {
    return this.cmd('POST', `/element/${el}/clear`, {});
  }
  type(el, text) {
    return this.cmd('POST', `/element/${el}/value`, { text });
  }
  text(el) {
    return this.cmd('GET', `/element/${el}/text`);
  }
  attribute(el, name) {
    return this.cmd('GET', `/element/${el}/attribute/${name}`);
  }
  /** An element id as a script argument (W3C's element reference). */
  ref(el) {
    return { 'element-6066-11e4-a52e-4f97a5f8d6b6': el };
  }
  property(el, name) {
    return this.cmd('GET', `/element/${el}/property/${name}`);
  }
  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }
  executeAsync(script, args = []) {
    return this.cmd('POST', '/execute/async', { script, args });
  }

  /**
   * Presses keys as a person would, through W3C actions (the focused element gets them,
   * nothing is focused for it). Each argument is a key or a chord: an array of keys held
   * together, e.g. press(Keys.Tab, [Keys.Control, 'n'], 'abc').
   */
  async press(...strokes) {
    const actions = [];
    for (const stroke of strokes) {
      const chord = Array.isArray(stroke) ? stroke : [...stroke];
      if (Array.isArray(stroke)) {
        for (const k of chord) actions.push({ type: 'keyDown', value: k });
        for (const k of [...chord].reverse()) actions.push({ type: 'keyUp', value: k });
      } else {
        for (const k of chord) actions.push({ type: 'keyDown', value: k }, { type: 'keyUp', value: k });
      }
    }
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.cmd('DELETE', '/actions').catch(() => {});
  }

  async screenshot(path) {
    // Two frames first, so what was just changed is painted (WebKit showed a page's
    // previous paint when the picture was taken in the same frame as the change).
    await this.executeAsync(
      'requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(arguments[0], 50)))',
    ).catch(() => {});
    const png = await this.cmd('GET', '/screenshot');
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, Buffer.from(png, 'base64'));
  }

  async quit() {
    await request('DELETE', `${this.base}/session/${this.id}`).catch(() => {});
  }
}

async function request(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : {};
  if (!response.ok || (json.value && json.value.error)) {
    const error = json.value?.error ?? response.status;
    throw new Error(`${method} ${url}: ${error}: ${json.value?.message ?? text}`);
  }
  return json.value;
}
