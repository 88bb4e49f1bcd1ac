import { describe, expect, it } from 'vitest';
import { pieces } from './sentences';
import type { Answer, AnswerSentence } from '../ipc';

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

describe('pieces', () => {
  it('puts a quote\'s chip after its closing mark and drops the written "(file, page)" it replaces', () => {
    const text = '“Pier 3 (the long one).” (Ferry.txt, lines 1-2)\n\n“At 7:40.” (Times (old).txt, page 2)';
    const answer: Answer = {
      promptId: '1',
      text,
      kind: 'quoted',
      sources: [],
      sentences: [sentence('Pier 3 (the long one).'), sentence('At 7:40.', { source: 1 })],
    };
    expect(pieces(answer, text)).toEqual([
      { kind: 'plain', text: '“' },
      { kind: 'sentence', text: 'Pier 3 (the long one).”', sentence: answer.sentences[0] },
      { kind: 'plain', text: '\n\n“' },
      { kind: 'sentence', text: 'At 7:40.”', sentence: answer.sentences[1] },
    ]);
  });

  it("leaves a written answer's text as it is, only without Folio's [n] markers", () => {
    const text = 'The ferry leaves at 7:40 (daily). [1] Pier 3.';
    const answer: Answer = {
      promptId: '1',
      text,
      kind: 'generated',
      sources: [],
      sentences: [sentence('The ferry leaves at 7:40 (daily).'), sentence('Pier 3.')],
    };
    expect(pieces(answer, text).map((p) => p.text)).toEqual(['The ferry leaves at 7:40 (daily).', ' ', 'Pier 3.']);
  });

  it('drops a marker written after a closing quote mark, keeping the mark', () => {
    const text = 'Your document says: "Rowing boats cost 12 euros an hour." [1]';
    const answer: Answer = {
      promptId: '1',
      text,
      kind: 'generated',
      sources: [],
      sentences: [sentence('Rowing boats cost 12 euros an hour.')],
    };
    expect(pieces(answer, text).map((p) => p.text)).toEqual([
      'Your document says: "',
      'Rowing boats cost 12 euros an hour.',
      '"',
    ]);
  });

  it('shows a sentence without the [n] markers inside it: its chip says the same', () => {
    const text = 'The default size is 14 points [1]. Boats cost 12 euros." [2]';
    const answer: Answer = {
      promptId: '1',
      text,
      kind: 'generated',
      sources: [],
      sentences: [sentence('The default size is 14 points [1].'), sentence('Boats cost 12 euros." [2]')],
    };
    expect(pieces(answer, text).map((p) => p.text)).toEqual([
      'The default size is 14 points.',
      ' ',
      'Boats cost 12 euros."',
    ]);
  });
});
