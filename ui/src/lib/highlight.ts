// Where the viewer marks a citation on its page: the quoted sentence strongly, the
// passage it sits in lightly. The engine stores one box per line of a passage; the
// quote is found in the page's text (spacing may differ: quotes are cleaned), its
// passage by character range, and the quote's own lines by the passage's line boxes.
import type { BoundingBox, Citation, PagePassage, PageView } from '../ipc';

export interface Marks {
  /** Boxes of the quoted sentence (pictured pages). */
  strong: BoundingBox[];
  /** Boxes of the rest of its passage, shaded lightly. */
  shaded: BoundingBox[];
  /** UTF-16 ranges in the page text, for pages shown as text. */
  strongRange: [number, number] | null;
  passageRange: [number, number] | null;
}

const NONE: Marks = { strong: [], shaded: [], strongRange: null, passageRange: null };

/** The marks for `citation` on `view`; nothing unless this is the cited page. */
export function citedMarks(view: PageView, citation: Citation): Marks {
  if (citation.page !== view.page) return NONE;
  const given = citation.sentenceBoxes?.length ? citation.sentenceBoxes : citation.boxes;
  const quote = citation.sentence ?? citation.passage;
  const range = quote ? findLoosely(view.text, quote) : null;
  const passages = range ? view.passages.filter((p) => p.utf16Start < range[1] && p.utf16End > range[0]) : [];
  if (!range || passages.length === 0) {
    // Not on the page as stored: trust the boxes the answer carried.
    const shaded = citation.sentenceBoxes?.length ? citation.boxes : [];
    return { strong: given, shaded, strongRange: range, passageRange: null };
  }
  const lines = passages.flatMap((p) => quoteLines(view.text, p, range));
  const strong = lines.every((l) => l !== null) && lines.length > 0 ? (lines as BoundingBox[]) : given;
  const all = passages.flatMap((p) => p.boxes);
  const shaded = all.filter((b) => !strong.some((s) => same(s, b)));
  const passageRange: [number, number] = [passages[0].utf16Start, passages[passages.length - 1].utf16End];
  return { strong, shaded, strongRange: range, passageRange };
}

/**
 * The boxes of the passage's lines that the range touches, when the passage has one
 * box per non-empty line; [null] when it does not (the caller falls back).
 */
function quoteLines(text: string, passage: PagePassage, range: [number, number]): (BoundingBox | null)[] {
  const lines: [number, number][] = [];
  let at = passage.utf16Start;
  for (const line of text.slice(passage.utf16Start, passage.utf16End).split('\n')) {
    if (line.trim()) lines.push([at, at + line.length]);
    at += line.length + 1;
  }
  if (lines.length !== passage.boxes.length) return [null];
  return lines.flatMap(([a, b], i) => (a < range[1] && b > range[0] ? [passage.boxes[i]] : []));
}

/**
 * Where `quote` is in `text`, ignoring differences in spacing (a quote's line breaks
 * are spaces, its markup may be blanked): a UTF-16 range, or null.
 */
export function findLoosely(text: string, quote: string): [number, number] | null {
  const words = quote.split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const escape = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Whole quote first, then its first and last dozen words (a long quote may have been
  // cleaned in the middle).
  const whole = new RegExp(words.map(escape).join('\\s+'));
  const hit = whole.exec(text);
  if (hit) return [hit.index, hit.index + hit[0].length];
  if (words.length < 8) return null;
  const head = new RegExp(words.slice(0, 12).map(escape).join('\\s+')).exec(text);
  if (!head) return null;
  const tail = new RegExp(words.slice(-12).map(escape).join('\\s+'), 'g');
  tail.lastIndex = head.index;
  const end = tail.exec(text);
  return [head.index, end ? end.index + end[0].length : head.index + head[0].length];
}

const same = (a: BoundingBox, b: BoundingBox) =>
  a.topX === b.topX && a.topY === b.topY && a.bottomX === b.bottomX && a.bottomY === b.bottomY;
