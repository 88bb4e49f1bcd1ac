// The chat in each state: loading history, empty, past turns, an answer streaming in
// and stopped, a quoted answer, an error, a hostile answer rendered inert, a very long one.
import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import { flushSync } from 'svelte';
import ChatPane from './ChatPane.svelte';
import { Conversations } from './conversations.svelte';
import { backend, byTestId, conversation, doc, render, settle } from '../test/render';
import type { Answer, AnswerSentence, Citation, ModelInfo, Settings, Source } from '../ipc';
import { models } from './models.svelte';
import { preferences } from './preferences.svelte';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  clearMocks();
});

const source = (over: Partial<Source> = {}): Source => ({
  documentId: 1,
  documentName: 'R-intro.pdf',
  page: 58,
  pageLabel: null,
  passage: 'Data frames…',
  boxes: [],
  ...over,
});
const answer = (text: string, over: Partial<Answer> = {}): Answer => ({
  promptId: '1',
  text,
  sources: [source()],
  kind: 'generated',
  sentences: [],
  ...over,
});

function show(handlers: Parameters<typeof backend>[0], documents = [doc(1, 'R-intro.pdf', 'ready')]) {
  const calls = backend(handlers);
  const opened: Source[] = [];
  const store = new Conversations();
  const view = render(ChatPane, {
    conversation: conversation(documents),
    store,
    onOpenSource: (s: Source) => opened.push(s),
  });
  cleanup = view.destroy;
  return { ...view, calls, opened, store };
}

function type(target: HTMLElement, text: string) {
  const box = byTestId(target, 'question')[0] as HTMLTextAreaElement;
  box.value = text;
  box.dispatchEvent(new Event('input'));
  flushSync();
  return box;
}

describe('ChatPane', () => {
  it('says it is loading, then invites a first question', async () => {
    let release: (v: unknown) => void = () => {};
    const { target } = show({ chat_history: () => new Promise((r) => (release = r)) });
    expect(byTestId(target, 'chat-loading')).toHaveLength(1);
    release([]);
    await settle();
    expect(byTestId(target, 'chat-empty')[0].textContent).toContain('Ask anything about this document');
  });

  it('shows earlier turns after a restart, with chips that open their page', async () => {
    const past = { question: 'What is a data frame?', answer: answer('A **table** of columns [1].'), askedAt: null };
    const { target, opened } = show({ chat_history: () => [past] });
    await settle();
    expect(target.querySelector('.question')?.textContent).toBe('What is a data frame?');
    expect(byTestId(target, 'answer-text')[0].querySelector('strong')?.textContent).toBe('table');
    const chip = byTestId(target, 'citation')[0];
    expect(chip.textContent?.trim()).toBe('R-intro.pdf, p. 58');
    chip.click();
    expect(opened[0].page).toBe(58);
  });

  it('says so when an answer names no pages, as AI Hub conversation answers do', async () => {
    const past = { question: 'When?', answer: answer('At 7:40.', { sources: [] }), askedAt: null };
    const { target } = show({ chat_history: () => [past] });
    await settle();
    expect(byTestId(target, 'citation')).toHaveLength(0);
    expect(byTestId(target, 'no-sources')[0].textContent).toContain('No pages were named');
  });

  it('streams an answer as it is written, sends with Enter, and can stop it', async () => {
    let onText: { onmessage: (s: string) => void } | undefined;
    let stopped = '';
    let reject: (e: unknown) => void = () => {};
    const { target, calls } = show({
      chat_history: () => [],
      converse: (a) => {
        onText = a.onText as typeof onText;
        expect((a.request as { question: string }).question).toBe('Summarise chapter 2');
        return new Promise((_, r) => (reject = r));
      },
      stop_answer: (a) => {
        stopped = a.answerId as string;
        reject({ kind: 'cancelled', message: '' });
      },
    });
    await settle();
    const box = type(target, 'Summarise chapter 2');
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await settle();
    onText!.onmessage('Chapter 2 covers ');
    onText!.onmessage('*vectors*.');
    flushSync();
    expect(byTestId(target, 'answer-text')[0].textContent?.trim()).toBe('Chapter 2 covers vectors.');
    byTestId(target, 'stop')[0].click();
    await settle();
    expect(stopped).not.toBe('');
    expect(byTestId(target, 'answer-error')[0].textContent).toBe('Stopped.');
    expect(calls).toContain('stop_answer');
    expect(byTestId(target, 'ask')).toHaveLength(1);
  });

  it('a quoted answer says so once and keeps its text plain; labels name lines for text files', async () => {
    const quoted = answer(
      'Quoting your documents (no language model wrote this; these are their own words):\n\n“Pier 3” (Ferry.txt, lines 1-2)',
      {
        kind: 'quoted',
        sources: [source({ documentName: 'Ferry.txt', page: 1, pageLabel: 'lines 1-2' })],
      },
    );
    const { target } = show({ chat_history: () => [{ question: 'Where?', answer: quoted, askedAt: null }] });
    await settle();
    expect(target.textContent?.match(/Quot/g)?.length).toBe(1); // the label only: the answer's own note is not repeated
    expect(byTestId(target, 'answer-text')[0].textContent).toBe('“Pier 3” (Ferry.txt, lines 1-2)');
    expect(byTestId(target, 'citation')[0].textContent?.trim()).toBe('Ferry.txt, lines 1-2');
  });

  it('marks every checked sentence with its page or "not found", and opens the supporting sentence', async () => {
    const text = 'A data frame is a list of columns. [1] It was invented in 1066.';
    const box = { topX: 1, topY: 2, bottomX: 3, bottomY: 4 };
    const sentences: AnswerSentence[] = [
      {
        start: 0,
        end: 34,
        text: 'A data frame is a list of columns.',
        source: 0,
        support: 'supported',
        evidence: 'A data frame is a list of columns of equal length.',
        boxes: [box],
      },
      {
        start: 39,
        end: 63,
        text: 'It was invented in 1066.',
        source: null,
        support: 'notFound',
        evidence: null,
        boxes: [],
      },
    ];
    const past = { question: 'What is a data frame?', answer: answer(text, { sentences }), askedAt: null };
    const { target, opened } = show({ chat_history: () => [past] });
    await settle();
    const shown = byTestId(target, 'answer-sentence');
    expect(shown.map((s) => s.textContent)).toEqual(['A data frame is a list of columns.', 'It was invented in 1066.']);
    expect(shown.map((s) => s.dataset.support)).toEqual(['supported', 'notFound']);
    // Folio's [1] is replaced by the chip beside its sentence.
    expect(byTestId(target, 'answer-text')[0].textContent).not.toContain('[1]');
    const chips = byTestId(target, 'sentence-citation');
    expect(chips).toHaveLength(1);
    expect(chips[0].textContent?.trim()).toBe('R-intro.pdf, p. 58');
    expect(byTestId(target, 'not-found')[0].textContent).toBe('not found in your documents');
    chips[0].click();
    const citation = opened[0] as Citation;
    expect(citation.page).toBe(58);
    expect(citation.sentence).toBe('A data frame is a list of columns of equal length.');
    expect(citation.sentenceBoxes).toEqual([box]);
  });

  it('a model answer that could not be checked shows why, then quotes with their pages', async () => {
    const quote = 'Data frames hold columns.';
    const text = `The built-in model's answer could not be checked against your documents, so here is what they say.\n\nQuoting your documents (no language model wrote this; these are their own words):\n\n“${quote}” (R-intro.pdf, page 58)`;
    const start = text.indexOf(quote);
    const quoted = answer(text, {
      kind: 'quoted',
      sources: [source({ passage: quote })],
      sentences: [
        { start, end: start + quote.length, text: quote, source: 0, support: 'supported', evidence: quote, boxes: [] },
      ],
    });
    const { target } = show({ chat_history: () => [{ question: 'What?', answer: quoted, askedAt: null }] });
    await settle();
    const shown = byTestId(target, 'answer-text')[0].textContent ?? '';
    expect(shown.startsWith("The built-in model's answer could not be checked")).toBe(true);
    expect(shown).not.toContain('Quoting your documents');
    expect(target.querySelector('.label')?.textContent).toBe('Quoted from your documents.');
    expect(byTestId(target, 'answer-sentence').map((s) => s.dataset.support)).toEqual(['supported']);
    expect(byTestId(target, 'not-found')).toHaveLength(0);
  });

  it('shows a failed answer as a sentence a person can act on', async () => {
    const { target } = show({
      chat_history: () => [],
      converse: () => Promise.reject({ kind: 'unavailable', message: 'Ollama is not reachable (is it running?)' }),
    });
    await settle();
    type(target, 'Anything?');
    byTestId(target, 'ask')[0].click();
    await settle();
    expect(byTestId(target, 'answer-error')[0].textContent).toBe(
      'Ollama is not reachable (is it running?). Please try again later.',
    );
  });

  it('renders script and image HTML from an answer as text', async () => {
    const hostile = answer('See <script>document.title="owned"</script> and <img src=x onerror="document.title=1">');
    const { target } = show({ chat_history: () => [{ question: 'x', answer: hostile, askedAt: null }] });
    await settle();
    const text = byTestId(target, 'answer-text')[0];
    expect(text.querySelector('script, img')).toBeNull();
    expect(text.textContent).toContain('<script>document.title="owned"</script>');
  });

  it('keeps a very long answer whole', async () => {
    const long = answer(Array.from({ length: 3000 }, (_, i) => `Line ${i}.`).join('\n'));
    const { target } = show({ chat_history: () => [{ question: 'All of it', answer: long, askedAt: null }] });
    await settle();
    expect(byTestId(target, 'answer-text')[0].textContent).toContain('Line 2999.');
  });

  it('cannot send before any document is ready', async () => {
    const { target } = show({ chat_history: () => [] }, [doc(1, 'big.pdf', 'reading')]);
    await settle();
    expect((byTestId(target, 'question')[0] as HTMLTextAreaElement).disabled).toBe(true);
    expect((byTestId(target, 'question')[0] as HTMLTextAreaElement).placeholder).toContain(
      'as soon as a document is ready',
    );
  });

  it('offers the built-in model once, under the newest quoted answer, and keeps "No thanks"', async () => {
    const quoted = (question: string) => ({
      question,
      answer: answer('Quoting your documents.\n\n“Data frames…” (R-intro.pdf, page 58)', { kind: 'quoted' }),
      askedAt: null,
    });
    const model: ModelInfo = {
      id: 'qwen',
      name: 'Qwen2.5 0.5B Instruct',
      fileName: 'q.gguf',
      sizeBytes: 491_000_000,
      memoryBytes: 0,
      licence: 'Apache-2.0',
      goodFor: '',
      recommended: true,
      installed: false,
      partialBytes: 0,
      active: false,
    };
    let stored = {
      activeBackend: 'local',
      languageModel: { provider: 'automatic', endpoint: null, model: null },
      appearance: 'system',
      modelOfferDismissed: false,
    } as unknown as Settings;
    const { target } = show({
      chat_history: () => [quoted('What is a data frame?'), quoted('And a list?')],
      list_models: () => [model],
      get_settings: () => stored,
      save_settings: (args) => (stored = args.settings as Settings),
    });
    await models.refresh();
    await preferences.load();
    await settle();
    const offers = byTestId(target, 'model-offer');
    expect(offers).toHaveLength(1);
    expect(offers[0].textContent).toContain('491 MB');
    // Under the newest answer, not under each one.
    const answers = byTestId(target, 'answer');
    expect(
      answers[answers.length - 1].compareDocumentPosition(offers[0]) & Node.DOCUMENT_POSITION_FOLLOWING,
    ).toBeTruthy();
    byTestId(target, 'model-offer-dismiss')[0].click();
    await settle();
    expect(byTestId(target, 'model-offer')).toHaveLength(0);
    expect(stored.modelOfferDismissed).toBe(true);
    await preferences.load();
    await settle();
    expect(byTestId(target, 'model-offer')).toHaveLength(0);
  });

  it('"Copy answer" copies the answer with the document and page of each quote, and says so to screen readers', async () => {
    const copied: string[] = [];
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: async (t: string) => void copied.push(t) },
      configurable: true,
    });
    const past = { question: 'What is a data frame?', answer: answer('A table of columns [1].'), askedAt: null };
    const { target } = show({ chat_history: () => [past] });
    await settle();
    const button = byTestId(target, 'copy-answer')[0];
    expect(button.textContent?.trim()).toBe('Copy answer');
    button.click();
    await settle();
    expect(copied).toEqual(['A table of columns [1].\n\nSources:\n[1] “Data frames…” — R-intro.pdf, page 58']);
    expect(button.textContent?.trim()).toBe('Copied');
    expect(byTestId(target, 'copy-status')[0].getAttribute('role')).toBe('status');
    expect(byTestId(target, 'copy-status')[0].textContent).toBe('Answer copied with its sources');
  });
});
