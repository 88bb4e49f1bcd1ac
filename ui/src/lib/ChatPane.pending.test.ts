// A pending question: what it says while it waits (from real events, no timer), and the
// chat following the newest answer unless the person scrolled up to read.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { flushSync } from 'svelte';
import ChatPane from './ChatPane.svelte';
import { Conversations } from './conversations.svelte';
import { backend, byTestId, conversation, doc, render, settle } from '../test/render';
import type { Answer } from '../ipc';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  clearMocks();
  vi.restoreAllMocks();
});

const answer = (text: string): Answer => ({ promptId: '1', text, sources: [], kind: 'generated', sentences: [] });

/** A converse that the test drives: pieces in, then the whole answer. */
function pendingBackend() {
  const live: { send: (piece: string) => void; finish: (a: Answer) => void } = { send: () => {}, finish: () => {} };
  const calls = backend({
    chat_history: () => [],
    converse: (a) =>
      new Promise((resolve) => {
        live.send = (piece) => (a.onText as { onmessage: (s: string) => void }).onmessage(piece);
        live.finish = resolve;
      }),
  });
  return { live, calls };
}

function ask(target: HTMLElement, text: string) {
  const box = byTestId(target, 'question')[0] as HTMLTextAreaElement;
  box.value = text;
  box.dispatchEvent(new Event('input'));
  flushSync();
  box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
}

/** A column 500 px tall whose content is `height.now` px: what `main` is in the window. */
function scroller() {
  const column = document.createElement('div');
  column.style.overflowY = 'auto';
  document.body.append(column);
  const height = { now: 400 };
  let top = 0;
  Object.defineProperty(column, 'clientHeight', { get: () => 500 });
  Object.defineProperty(column, 'scrollHeight', { get: () => height.now });
  Object.defineProperty(column, 'scrollTop', {
    get: () => top,
    set: (v: number) => (top = Math.max(0, Math.min(v, height.now - 500))),
  });
  // Each turn starts far below the fold: following goes to the end of the content.
  vi.spyOn(HTMLLIElement.prototype, 'getBoundingClientRect').mockReturnValue(new DOMRect(0, 100000, 10, 10));
  return { column, height, scrolledTo: () => top };
}

describe('a pending question', () => {
  it('says what it waits for until the first piece, then that it is writing, then nothing', async () => {
    const { live } = pendingBackend();
    const view = render(ChatPane, {
      conversation: conversation([doc(1, 'a.pdf', 'ready'), doc(2, 'b.pdf', 'reading')]),
      store: new Conversations(),
      onOpenSource: () => {},
    });
    cleanup = view.destroy;
    await settle();
    ask(view.target, 'Where is the pier?');
    await settle();
    const status = () => byTestId(view.target, 'answer-pending').map((s) => s.textContent?.trim());
    expect(status()).toEqual([
      'Looking through your documents… Folio is also reading 1 document, so this takes a little longer.',
    ]);
    // However long it takes: no timer changes the words.
    await new Promise((r) => setTimeout(r, 50));
    expect(status()[0]).toMatch(/^Looking through your documents…/);
    live.send('Pier 3');
    await settle();
    expect(status()).toEqual(['Still writing the answer…']);
    live.finish(answer('Pier 3.'));
    await settle();
    expect(status()).toEqual([]);
  });
});

describe('the chat follows the newest answer', () => {
  it('scrolls to a question when sent and to its answer as it arrives', async () => {
    const { live } = pendingBackend();
    const { column, height, scrolledTo } = scroller();
    const view = render(
      ChatPane,
      { conversation: conversation([doc(1, 'a.pdf', 'ready')]), store: new Conversations(), onOpenSource: () => {} },
      column,
    );
    cleanup = () => {
      view.destroy();
      column.remove();
    };
    await settle();
    height.now = 2000;
    ask(view.target, 'First?');
    await settle();
    expect(scrolledTo()).toBe(1500);
    height.now = 2600;
    live.send('A long answer');
    await settle();
    expect(scrolledTo()).toBe(2100);
    height.now = 3000;
    live.finish(answer('A long answer, done.'));
    await settle();
    expect(scrolledTo()).toBe(2500);
  });

  it('stays where the person scrolled up to read, until they ask again', async () => {
    const { live } = pendingBackend();
    const { column, height, scrolledTo } = scroller();
    const view = render(
      ChatPane,
      { conversation: conversation([doc(1, 'a.pdf', 'ready')]), store: new Conversations(), onOpenSource: () => {} },
      column,
    );
    cleanup = () => {
      view.destroy();
      column.remove();
    };
    await settle();
    height.now = 2000;
    ask(view.target, 'First?');
    await settle();
    expect(scrolledTo()).toBe(1500);
    // The person scrolls up to read something earlier.
    column.scrollTop = 300;
    column.dispatchEvent(new Event('scroll'));
    height.now = 2600;
    live.send('Words');
    live.finish(answer('Words.'));
    await settle();
    expect(scrolledTo()).toBe(300);
    // Sending a question follows again.
    height.now = 3000;
    ask(view.target, 'Second?');
    await settle();
    expect(scrolledTo()).toBe(2500);
  });

  it('reads a long answer from its start: never scrolls its question out of view', async () => {
    const { live } = pendingBackend();
    const { column, height, scrolledTo } = scroller();
    const view = render(
      ChatPane,
      { conversation: conversation([doc(1, 'a.pdf', 'ready')]), store: new Conversations(), onOpenSource: () => {} },
      column,
    );
    cleanup = () => {
      view.destroy();
      column.remove();
    };
    await settle();
    height.now = 1000;
    ask(view.target, 'Everything?');
    await settle();
    expect(scrolledTo()).toBe(500);
    // The turn begins 200 px below the column's top edge (scrolled to 500: at 716 in content).
    vi.mocked(HTMLLIElement.prototype.getBoundingClientRect).mockReturnValue(new DOMRect(0, 216, 10, 10));
    height.now = 5000;
    live.finish(answer('A very long answer.'));
    await settle();
    expect(scrolledTo()).toBe(700);
  });
});
