// The conversations sidebar: empty, a long list, search that finds by name or
// description, and the sort order sent to the backend.
import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { flushSync } from 'svelte';
import Sidebar from './Sidebar.svelte';
import { Conversations } from './conversations.svelte';
import { backend, byTestId, render, settle } from '../test/render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  clearMocks();
});

function show(store: Conversations) {
  const opened: string[] = [];
  const view = render(Sidebar, {
    store,
    view: 'main' as const,
    onOpenSettings: () => {},
    onHome: () => {},
    onOpen: (id: string) => opened.push(id),
    onOpenChatbots: () => {},
    onOpenSearch: () => {},
  });
  cleanup = view.destroy;
  return { ...view, opened };
}

const summary = (i: number) => ({
  id: `c${i}`,
  name: `Conversation ${i}`,
  description: i === 7 ? 'tax papers' : null,
  createdAt: null,
  updatedAt: null,
});

describe('Sidebar', () => {
  it('invites a first drop when there are no conversations', () => {
    const { target } = show(new Conversations());
    expect(byTestId(target, 'conversation-list')[0].textContent).toContain('No conversations yet');
  });

  it('lists many conversations and finds one by its description', () => {
    const store = new Conversations();
    store.list = Array.from({ length: 500 }, (_, i) => summary(i));
    const { target, opened } = show(store);
    expect(byTestId(target, 'conversation-item')).toHaveLength(500);
    const search = target.querySelector<HTMLInputElement>('#conversation-search')!;
    search.value = 'TAX';
    search.dispatchEvent(new Event('input'));
    flushSync();
    const items = byTestId(target, 'conversation-item');
    expect(items.map((i) => i.textContent)).toEqual(['Conversation 7']);
    items[0].click();
    expect(opened).toEqual(['c7']);
    search.value = 'nothing like this';
    search.dispatchEvent(new Event('input'));
    flushSync();
    expect(target.textContent).toContain('No conversation matches');
  });

  it('sorting by creation asks the backend for that order', async () => {
    const queries: unknown[] = [];
    backend({ list_conversations: (a) => (queries.push(a.query), []) });
    const store = new Conversations();
    const { target } = show(store);
    const select = byTestId(target, 'conversation-sort')[0] as HTMLSelectElement;
    select.value = 'created';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(queries.at(-1)).toEqual({ sortKey: 'createdAt', ascending: false, search: null });
  });
});
