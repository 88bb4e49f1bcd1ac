// The Search everywhere view in jsdom over Tauri's IPC mock: the empty state, typing
// and Enter, hits with their place, conversation and marked words, opening one by
// click or Enter, "no matches", an error, and hits that cannot be opened while another
// backend answers.
import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { flushSync } from 'svelte';
import type { SearchEverywhereHit } from '../ipc';
import SearchView from './SearchView.svelte';
import { EverywhereSearch } from './searchEverywhere.svelte';
import { backend, byTestId, render, settle } from '../test/render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  clearMocks();
});

const hit = (conversationName: string, documentName: string, page: number): SearchEverywhereHit => ({
  conversationId: `id-${conversationName}`,
  conversationName,
  documentId: page,
  documentName,
  page,
  pageLabel: null,
  charStart: 0,
  charEnd: 20,
  passage: 'Use landscape pages for wide tables.',
  snippet: [
    { text: 'Use ', matched: false },
    { text: 'landscape', matched: true },
    { text: ' pages for wide tables.', matched: false },
  ],
  boxes: [],
  matched: page === 2 ? 'meaning' : 'keywords',
  score: 0.03,
});

function show(canOpen = true) {
  const opened: SearchEverywhereHit[] = [];
  const search = new EverywhereSearch();
  const view = render(SearchView, { search, onOpenHit: (h: SearchEverywhereHit) => opened.push(h), canOpen });
  cleanup = view.destroy;
  const input = view.target.querySelector<HTMLInputElement>('#everywhere-query')!;
  const type = async (text: string) => {
    input.value = text;
    input.dispatchEvent(new Event('input'));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle();
  };
  return { ...view, opened, input, type };
}

describe('SearchView', () => {
  it('starts empty with the box focused, finds, marks and opens hits', async () => {
    const asked: unknown[] = [];
    backend({
      search_everywhere: (a) => {
        asked.push(a.query);
        return {
          query: a.query,
          hits: [hit('Manuals', 'lscape.pdf', 4), hit('Notes', 'n.txt', 2)],
          keywordsOnly: null,
        };
      },
    });
    const { target, opened, input, type } = show();
    expect(document.activeElement).toBe(input);
    expect(byTestId(target, 'everywhere-empty')[0].textContent).toContain('Nothing has been searched yet');

    await type('landscape');
    expect(asked).toEqual(['landscape']);
    const hits = byTestId(target, 'everywhere-hit');
    expect(hits).toHaveLength(2);
    expect(hits[0].textContent).toContain('lscape.pdf, p. 4');
    expect(hits[0].textContent).toContain('in Manuals');
    expect([...hits[0].querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['landscape']);
    expect(hits[1].textContent).toContain('similar meaning');
    expect(hits[0].textContent).not.toContain('similar meaning');

    hits[1].click();
    expect(opened.map((h) => h.conversationName)).toEqual(['Notes']);
    // Enter on what was already searched opens the best hit.
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    flushSync();
    expect(opened.map((h) => h.conversationName)).toEqual(['Notes', 'Manuals']);
    expect(asked).toHaveLength(1);
  });

  it('says plainly when nothing matches, and shows errors as sentences', async () => {
    let fail = false;
    backend({
      search_everywhere: (a) => {
        if (fail) throw { kind: 'internal', message: 'The store could not be read' };
        return { query: a.query, hits: [], keywordsOnly: 'Found by words only: the embedding model is not set up.' };
      },
    });
    const { target, type } = show();
    await type('zeppelin');
    expect(byTestId(target, 'everywhere-none')[0].textContent).toContain(
      'No passage in your documents matches “zeppelin”',
    );
    expect(byTestId(target, 'everywhere-keywords-only')[0].textContent).toContain('Found by words only');
    fail = true;
    await type('zeppelins');
    const error = byTestId(target, 'everywhere-error')[0];
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.dataset.kind).toBe('internal');
    expect(error.textContent).toBe('The store could not be read. Something went wrong inside Folio.');
  });

  it('lists but does not open hits while another backend answers', async () => {
    backend({
      search_everywhere: (a) => ({ query: a.query, hits: [hit('Manuals', 'lscape.pdf', 4)], keywordsOnly: null }),
    });
    const { target, opened, type } = show(false);
    expect(byTestId(target, 'everywhere-elsewhere')[0].textContent).toContain('On this computer');
    await type('landscape');
    const [only] = byTestId(target, 'everywhere-hit') as HTMLButtonElement[];
    expect(only.disabled).toBe(true);
    only.click();
    expect(opened).toEqual([]);
  });
});
