// The conversations store against Tauri's IPC mock: what a drop does with and without
// an open conversation, progress pushed over a Channel, refusals and errors.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import type { DocumentProgress } from '../ipc';
import { Conversations, NOTICE_MS } from './conversations.svelte';
import { backend, conversation, doc } from '../test/render';

const settle = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => clearMocks());

describe('Conversations', () => {
  it('a drop with nothing open starts a conversation and follows its documents', async () => {
    let progressChannel: { onmessage: (p: DocumentProgress) => void } | undefined;
    const calls = backend({
      create_conversation: (a) => {
        expect(a.paths).toEqual(['/d/Report.pdf', '/d/bad.exe']);
        return {
          id: 'c1',
          name: 'Report',
          upload: { succeeded: ['Report.pdf'], failed: [{ name: 'bad.exe', reason: 'not a document' }] },
        };
      },
      list_conversations: () => [{ id: 'c1', name: 'Report', description: null, createdAt: null, updatedAt: null }],
      get_conversation: () => conversation([doc(1, 'Report.pdf', 'waiting')]),
      follow_conversation: (a) => {
        progressChannel = a.onProgress as typeof progressChannel;
        return new Promise(() => {}); // still processing
      },
    });
    const store = new Conversations();
    await store.receive(['/d/Report.pdf', '/d/bad.exe']);
    expect(calls).toEqual(['create_conversation', 'list_conversations', 'get_conversation', 'follow_conversation']);
    expect(store.list).toHaveLength(1);
    expect(store.refused).toEqual([{ name: 'bad.exe', reason: 'not a document' }]);
    expect(store.current?.documents[0].stage).toBe('waiting');

    progressChannel!.onmessage({
      conversationId: 'c1',
      documentId: 1,
      name: 'Report.pdf',
      stage: 'reading',
      progress: { done: 3, total: 10 },
      failureReason: null,
    });
    expect(store.current?.documents[0].stage).toBe('reading');
    expect(store.current?.documents[0].progress).toEqual({ done: 3, total: 10 });
  });

  it('a drop on an open conversation adds to it', async () => {
    const calls = backend({
      add_documents: (a) => {
        expect(a.id).toBe('c1');
        return { succeeded: ['b.txt'], failed: [] };
      },
      get_conversation: () => conversation([doc(1, 'a.pdf', 'ready'), doc(2, 'b.txt', 'waiting')]),
      follow_conversation: () => conversation([doc(1, 'a.pdf', 'ready'), doc(2, 'b.txt', 'ready')]),
    });
    const store = new Conversations();
    store.current = conversation([doc(1, 'a.pdf', 'ready')]);
    await store.receive(['/d/b.txt']);
    await settle();
    expect(calls).toEqual(['add_documents', 'get_conversation', 'follow_conversation']);
    expect(store.current?.documents.map((d) => d.stage)).toEqual(['ready', 'ready']);
  });

  it('progress for another conversation is ignored, and a new document is added', () => {
    const store = new Conversations();
    store.current = conversation([doc(1, 'a.pdf', 'ready')]);
    store.apply({
      conversationId: 'other',
      documentId: 1,
      name: 'a.pdf',
      stage: 'failed',
      progress: null,
      failureReason: 'x',
    });
    expect(store.current.documents[0].stage).toBe('ready');
    store.apply({
      conversationId: 'c1',
      documentId: 9,
      name: 'late.pdf',
      stage: 'failed',
      progress: null,
      failureReason: 'late.pdf is empty',
    });
    expect(store.current.documents.map((d) => [d.name, d.stage, d.failureReason])).toEqual([
      ['a.pdf', 'ready', null],
      ['late.pdf', 'failed', 'late.pdf is empty'],
    ]);
  });

  it('a refused request shows a sentence for a person and keeps the list', async () => {
    backend({
      list_conversations: () => {
        throw { kind: 'auth', message: 'No AI Hub token is saved yet' };
      },
    });
    const store = new Conversations();
    store.list = [{ id: 'c0', name: 'Old', description: null, createdAt: null, updatedAt: null }];
    await store.refresh();
    expect(store.error).toBe('No AI Hub token is saved yet. Check the API token in Settings.');
    expect(store.list).toHaveLength(1);
  });

  it('"Saved to …" goes after a while, and at once when the person leaves the conversation', async () => {
    backend({ export_conversation: () => '/home/me/Report.md' });
    vi.useFakeTimers();
    try {
      const store = new Conversations();
      store.current = conversation([doc(1, 'a.pdf', 'ready')]);
      await store.exportMarkdown();
      expect(store.notice).toBe('Saved to /home/me/Report.md');
      vi.advanceTimersByTime(NOTICE_MS);
      expect(store.notice).toBe('');

      store.current = conversation([doc(1, 'a.pdf', 'ready')]);
      await store.exportMarkdown();
      store.close(); // Settings opened, or another backend chosen
      expect(store.notice).toBe('');
    } finally {
      vi.useRealTimers();
    }
  });
});
