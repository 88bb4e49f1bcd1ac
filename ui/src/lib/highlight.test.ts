// The quoted sentence is marked strongly and only its own lines; the rest of its passage
// is shaded lightly; nothing is marked on other pages.
import { describe, expect, it } from 'vitest';
import { citedMarks, findLoosely } from './highlight';
import type { Citation, PageView } from '../ipc';

const line = (y: number) => ({ topX: 10, topY: y, bottomX: 200, bottomY: y + 10 });
// Two passages: lines 1-3 and lines 4-5, one box per line (as the engine stores them).
const text = 'All text is rotated\nthrough 90 degrees. The\nenvironment may span pages.\nIt works with\nlongtable.';
const at = (s: string) => text.indexOf(s);
const view: PageView = {
  documentId: 1,
  page: 2,
  pageCount: 3,
  label: null,
  kind: 'pdf',
  width: 600,
  height: 800,
  text,
  ocrConfidence: null,
  passages: [
    {
      passageId: 1,
      charStart: 0,
      charEnd: 71,
      utf16Start: 0,
      utf16End: at('It works') - 1,
      boxes: [line(10), line(22), line(34)],
    },
    {
      passageId: 2,
      charStart: 72,
      charEnd: text.length,
      utf16Start: at('It works'),
      utf16End: text.length,
      boxes: [line(46), line(58)],
    },
  ],
};
const cite = (passage: string, extra: Partial<Citation> = {}): Citation => ({
  documentId: 1,
  documentName: 'lscape.pdf',
  page: 2,
  pageLabel: null,
  passage,
  boxes: [line(10), line(22), line(34)],
  ...extra,
});

describe('citedMarks', () => {
  it('marks the quoted sentence’s lines strongly and shades the rest of its passage', () => {
    const marks = citedMarks(view, cite('All text is rotated through 90 degrees.'));
    expect(marks.strong).toEqual([line(10), line(22)]);
    expect(marks.shaded).toEqual([line(34)]);
    expect(marks.passageRange).toEqual([0, at('It works') - 1]);
    expect(text.slice(...marks.strongRange!)).toBe('All text is rotated\nthrough 90 degrees.');
  });

  it('uses the supporting sentence of a checked answer over the passage text', () => {
    const marks = citedMarks(view, cite(text.slice(0, 70), { sentence: 'The environment may span pages.' }));
    expect(marks.strong).toEqual([line(22), line(34)]);
    expect(marks.shaded).toEqual([line(10)]);
  });

  it('marks nothing on a page that was not cited', () => {
    const marks = citedMarks({ ...view, page: 1 }, cite('All text is rotated through 90 degrees.'));
    expect(marks.strong).toHaveLength(0);
    expect(marks.shaded).toHaveLength(0);
  });

  it('falls back to the boxes the answer carried when the quote is not on the page', () => {
    const marks = citedMarks(view, cite('Words that are nowhere on this page at all.', { sentenceBoxes: [line(22)] }));
    expect(marks.strong).toEqual([line(22)]);
    expect(marks.shaded).toEqual([line(10), line(22), line(34)]);
  });

  it('falls back to the carried boxes when a passage’s boxes are not one per line', () => {
    const odd = { ...view, passages: [{ ...view.passages[0], boxes: [line(10)] }, view.passages[1]] };
    const marks = citedMarks(odd, cite('All text is rotated through 90 degrees.'));
    expect(marks.strong).toEqual([line(10), line(22), line(34)]);
  });
});

describe('findLoosely', () => {
  it('finds a quote whose spacing differs from the page', () => {
    expect(findLoosely('a  b\nc d', 'b c')).toEqual([3, 6]);
    expect(findLoosely('price (in $) is 5', 'price (in $)')).toEqual([0, 12]);
    expect(findLoosely('abc', 'xyz')).toBeNull();
  });
});
