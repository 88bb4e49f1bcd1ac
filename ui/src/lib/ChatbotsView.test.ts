// The Chatbots screen: empty, an error listing, and a chatbot made from a conversation
// that answers with live status and sources.
import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { flushSync } from 'svelte';
import ChatbotsView from './ChatbotsView.svelte';
import { backend, byTestId, render, settle } from '../test/render';
import type { QueryStatus, Source } from '../ipc';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  clearMocks();
});

const conversations = [{ id: 'c1', name: 'Manuals', description: null, createdAt: null, updatedAt: null }];

function show(handlers: Parameters<typeof backend>[0]) {
  const calls = backend(handlers);
  const opened: [string, Source][] = [];
  const view = render(ChatbotsView, { conversations, onOpenSource: (c: string, s: Source) => opened.push([c, s]) });
  cleanup = view.destroy;
  return { ...view, calls, opened };
}

function input(el: HTMLElement, value: string) {
  (el as HTMLInputElement).value = value;
  el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input'));
  flushSync();
}

describe('ChatbotsView', () => {
  it('says there are none yet', async () => {
    const { target } = show({ list_chatbots: () => [] });
    await settle();
    expect(byTestId(target, 'chatbots-empty')).toHaveLength(1);
  });

  it('shows why the list could not be read', async () => {
    const { target } = show({
      list_chatbots: () => Promise.reject({ kind: 'internal', message: 'the database is locked' }),
    });
    await settle();
    expect(byTestId(target, 'chatbots-error')[0].textContent).toContain('the database is locked');
  });

  it('makes a chatbot from a conversation and shows its reply with sources', async () => {
    const entry = {
      chatbot: { id: 'cb-1', name: 'Manual bot', description: null },
      conversationId: 'c1',
      ownsDocuments: false,
    };
    let listed: unknown[] = [];
    const running: QueryStatus = { queryId: 'q1', state: 'running', results: [], error: null };
    const done: QueryStatus = {
      queryId: 'q1',
      state: 'complete',
      error: null,
      results: [
        {
          response: 'Rotate with lscape.',
          sources: [{ documentId: 3, documentName: 'lscape.pdf', page: 1, pageLabel: null, passage: null, boxes: [] }],
        },
      ],
    };
    const { target, opened } = show({
      list_chatbots: () => listed,
      create_chatbot: (a) => {
        expect(a.new).toEqual({ name: 'Manual bot', description: null, from: { type: 'conversation', value: 'c1' } });
        listed = [entry];
        return entry;
      },
      ask_chatbot: (a) => {
        // Seed 002's default model, sources asked for, and a name the Stop button can use.
        expect([a.host, a.id, a.model, a.includeSources]).toEqual(['local', 'cb-1', 'multistep', true]);
        expect(typeof a.answerId).toBe('string');
        (a.onStatus as { onmessage: (s: QueryStatus) => void }).onmessage(running);
        return done;
      },
    });
    await settle();
    byTestId(target, 'chatbot-new')[0].click();
    flushSync();
    input(byTestId(target, 'chatbot-name')[0], 'Manual bot');
    input(byTestId(target, 'chatbot-conversation')[0], 'c1');
    byTestId(target, 'chatbot-create')[0].click();
    await settle();
    expect(byTestId(target, 'chatbot-item')).toHaveLength(1);
    expect(byTestId(target, 'chatbot-target')[0].textContent).toBe('Manual bot');
    input(byTestId(target, 'chatbot-question')[0], 'How do I rotate a page?');
    byTestId(target, 'chatbot-ask')[0].click();
    await settle();
    expect(byTestId(target, 'chatbot-reply')[0].textContent).toContain('Rotate with lscape.');
    byTestId(target, 'chatbot-source')[0].click();
    expect(opened[0][0]).toBe('c1');
    expect(opened[0][1].documentName).toBe('lscape.pdf');
  });

  const entry = {
    chatbot: { id: 'cb-1', name: 'Manual bot', description: null },
    conversationId: 'c1',
    ownsDocuments: false,
  };

  async function askFirst(handlers: Parameters<typeof backend>[0], setUp: (target: HTMLElement) => void = () => {}) {
    const view = show({ list_chatbots: () => [entry], ...handlers });
    await settle();
    byTestId(view.target, 'chatbot-select')[0].click();
    flushSync();
    setUp(view.target);
    input(byTestId(view.target, 'chatbot-question')[0], 'How do I rotate a page?');
    byTestId(view.target, 'chatbot-ask')[0].click();
    await settle();
    return view;
  }

  it('stops a question the person no longer wants, by its name', async () => {
    let reject: (e: unknown) => void = () => {};
    let asked = '';
    const stops: string[] = [];
    const { target } = await askFirst({
      ask_chatbot: (a) => {
        asked = a.answerId as string;
        return new Promise((_, no) => (reject = no));
      },
      stop_answer: (a) => {
        stops.push(a.answerId as string);
        reject({ kind: 'cancelled', message: 'Stopped' });
      },
    });
    expect(byTestId(target, 'chatbot-running')).toHaveLength(1);
    byTestId(target, 'chatbot-stop')[0].click();
    await settle();
    expect(stops).toEqual([asked]);
    expect(byTestId(target, 'chatbot-stopped')).toHaveLength(1);
    expect(byTestId(target, 'chatbot-running')).toHaveLength(0);
    expect(byTestId(target, 'chatbot-stop')).toHaveLength(0);
    expect(byTestId(target, 'chatbot-error')).toHaveLength(0);
  });

  it('says in words that the time limit passed', async () => {
    const { target } = await askFirst({
      ask_chatbot: () =>
        Promise.reject({
          kind: 'timeout',
          message: 'The chatbot had not answered after 120 s, so Folio stopped waiting',
        }),
    });
    expect(byTestId(target, 'chatbot-error')[0].textContent).toContain('had not answered after 120 s');
  });

  it('asks without sources and with the quick model when the person says so', async () => {
    const seen: unknown[][] = [];
    await askFirst(
      {
        ask_chatbot: (a) => {
          seen.push([a.model, a.includeSources]);
          return { queryId: 'q', state: 'complete', error: null, results: [{ response: 'Use lscape.', sources: [] }] };
        },
      },
      (target) => {
        byTestId(target, 'chatbot-model-lite')[0].click();
        byTestId(target, 'chatbot-include-sources')[0].click();
        flushSync();
      },
    );
    expect(seen).toEqual([['multistep-lite', false]]);
  });
});
