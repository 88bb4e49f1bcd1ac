import { describe, expect, it } from 'vitest';
import { answerCopyText, place } from './copyAnswer';
import type { Answer, AnswerSentence, Source } from '../ipc';

const source = (over: Partial<Source> = {}): Source => ({
  documentId: 1,
  documentName: 'Ferry.pdf',
  page: 2,
  pageLabel: null,
  passage: null,
  boxes: [],
  ...over,
});
const sentence = (text: string, over: Partial<AnswerSentence> = {}): AnswerSentence => ({
  start: 0,
  end: 0,
  text,
  source: 0,
  support: 'supported',
  evidence: text,
  boxes: [],
  ...over,
});

describe('answerCopyText', () => {
  it('gives a quoted answer a numbered source per quote instead of the written "(file, page)"', () => {
    const text =
      'Quoting your documents (no language model wrote this; these are their own words):\n\n' +
      '“The first ferry leaves pier 3 at 7:40.” (Ferry.pdf, page 2)\n\n“Tickets are sold on board.” (Ferry.pdf, page 5)';
    const answer: Answer = {
      promptId: '1',
      text,
      kind: 'quoted',
      sources: [
        source({ passage: 'The first ferry leaves pier 3 at 7:40.' }),
        source({ page: 5, passage: 'Tickets are sold on board.' }),
      ],
      sentences: [
        sentence('The first ferry leaves pier 3 at 7:40.'),
        sentence('Tickets are sold on board.', { source: 1 }),
      ],
    };
    expect(answerCopyText(answer)).toBe(
      'Quoting your documents (no language model wrote this; these are their own words):\n\n' +
        '“The first ferry leaves pier 3 at 7:40.” [1]\n\n“Tickets are sold on board.” [2]\n\n' +
        'Sources:\n[1] “The first ferry leaves pier 3 at 7:40.” — Ferry.pdf, page 2\n' +
        '[2] “Tickets are sold on board.” — Ferry.pdf, page 5',
    );
  });

  it('marks each checked sentence with its source or says it was not found, one source per quote', () => {
    const text = 'The ferry leaves at 7:40 [1]. It is always on time. It leaves from pier 3.';
    const answer: Answer = {
      promptId: '2',
      text,
      kind: 'generated',
      sources: [source({ passage: 'A whole passage.', pageLabel: 'lines 1-2' })],
      sentences: [
        sentence('The ferry leaves at 7:40 [1].', { evidence: 'The first ferry leaves\npier 3 at 7:40.' }),
        sentence('It is always on time.', { source: null, support: 'notFound', evidence: null }),
        sentence('It leaves from pier 3.', { evidence: 'The first ferry leaves pier 3 at 7:40.' }),
      ],
    };
    expect(answerCopyText(answer)).toBe(
      'The ferry leaves at 7:40. [1] It is always on time. (not found in your documents) It leaves from pier 3. [1]\n\n' +
        'Sources:\n[1] “The first ferry leaves pier 3 at 7:40.” — Ferry.pdf, lines 1-2',
    );
  });

  it("keeps a service's own [n] markers and lists its sources in order, long passages cut", () => {
    const long = `Books may be borrowed for three weeks. ${'Renewals are possible online. '.repeat(20)}`;
    const answer: Answer = {
      promptId: '3',
      text: 'Three weeks [1], see the rules [2].',
      kind: 'generated',
      sentences: [],
      sources: [
        source({ documentName: 'Library rules.txt', page: 1, passage: long }),
        source({ documentName: 'Old.pdf', page: null }),
      ],
    };
    const copied = answerCopyText(answer);
    expect(
      copied.startsWith(
        'Three weeks [1], see the rules [2].\n\nSources:\n[1] “Books may be borrowed for three weeks. Renewals',
      ),
    ).toBe(true);
    expect(copied).toMatch(/…” — Library rules\.txt, page 1\n\[2\] Old\.pdf$/);
    expect(copied.length).toBeLessThan(420);
  });

  it('copies an answer without sources as its text alone', () => {
    const answer: Answer = { promptId: '4', text: ' At 7:40.\n', kind: 'generated', sources: [], sentences: [] };
    expect(answerCopyText(answer)).toBe('At 7:40.');
  });

  it('names the page the way the export does', () => {
    expect(place(source())).toBe('Ferry.pdf, page 2');
    expect(place(source({ pageLabel: 'slide 3' }))).toBe('Ferry.pdf, slide 3');
    expect(place(source({ page: null }))).toBe('Ferry.pdf');
  });
});
