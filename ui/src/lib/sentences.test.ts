import { describe, expect, it } from 'vitest';
import { pieces } from './sentences';
import type { Answer, AnswerSentence } from '../ipc';

const sentence = (text: string, over: Partial<AnswerSentence> = {}): AnswerSentence => ({
  start: 0, end: 0, text, source: 0, support: 'supported', evidence: text, boxes: [], ...over,
});

describe('pieces', () => {
  it('puts a quote\'s chip after its closing mark and drops the written "(file, page)" it replaces', () => {
    const text = '“Pier 3 (the long one).” (Ferry.txt, lines 1-2)\n\n“At 7:40.” (Times (old).txt, page 2)';
    const answer: Answer = {
      promptId: '1', text, kind: 'quoted', sources: [],
      sentences: [sentence('Pier 3 (the long one).'), sentence('At 7:40.', { source: 1 })],
    };
    expect(pieces(answer, text)).toEqual([
      { kind: 'plain', text: '“' },
      { kind: 'sentence', text: 'Pier 3 (the long one).”', sentence: answer.sentences[0] },
      { kind: 'plain', text: '\n\n“' },
      { kind: 'sentence', text: 'At 7:40.”', sentence: answer.sentences[1] },
    ]);
  });

  it('leaves a written answer\'s text as it is, only without Folio\'s [n] markers', () => {
    const text = 'The ferry leaves at 7:40 (daily). [1] Pier 3.';
    const answer: Answer = {
      promptId: '1', text, kind: 'generated', sources: [],
      sentences: [sentence('The ferry leaves at 7:40 (daily).'), sentence('Pier 3.')],
    };
    expect(pieces(answer, text).map((p) => p.text)).toEqual(['The ferry leaves at 7:40 (daily).', ' ', 'Pier 3.']);
  });
});
