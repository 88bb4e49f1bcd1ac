// The page viewer opened from a sentence of an answer: the supporting sentence is the
// strong highlight and its passage is shaded lightly; opened from a plain citation, the
// passage is the highlight as before.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import PageViewer from './PageViewer.svelte';
import { backend, byTestId, render, settle } from '../test/render';
import type { Citation, PageView } from '../ipc';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  clearMocks();
});
beforeAll(() => {
  // jsdom has no object URLs or layout; the viewer only needs them to exist.
  URL.createObjectURL ??= () => 'blob:page';
  URL.revokeObjectURL ??= () => {};
  Element.prototype.scrollIntoView ??= () => {};
});

const box = (y: number) => ({ topX: 10, topY: y, bottomX: 200, bottomY: y + 10 });
const view: PageView = {
  documentId: 1,
  page: 1,
  pageCount: 2,
  label: null,
  kind: 'pdf',
  width: 600,
  height: 800,
  text: 'All text is rotated through 90 degrees. It works with longtable.',
  passages: [],
  ocrConfidence: null,
};

let viewed: number[] = [];
let drawn: number[] = [];
let closed = 0;

function open(source: Citation, pageCount = 2) {
  viewed = [];
  drawn = [];
  closed = 0;
  backend({
    page_view: (args) => {
      viewed.push(args.page as number);
      return { ...view, page: args.page as number, pageCount };
    },
    render_page: (args) => {
      drawn.push(args.page as number);
      return new ArrayBuffer(8);
    },
    document_details: () => {
      throw { kind: 'notFound', message: 'no details here' };
    },
  });
  const v = render(PageViewer, { conversationId: 'c1', source, onClose: () => (closed += 1) });
  cleanup = v.destroy;
  return v.target;
}

const key = (target: HTMLElement, k: string) =>
  byTestId(target, 'page-viewer')[0].dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));

const passage: Citation = {
  documentId: 1,
  documentName: 'lscape.pdf',
  page: 1,
  pageLabel: null,
  passage: 'All text is rotated through 90 degrees. It works with longtable.',
  boxes: [box(100), box(112), box(124)],
};

describe('PageViewer', () => {
  it('marks the supporting sentence strongly inside its lightly shaded passage', async () => {
    const target = open({ ...passage, sentence: 'All text is rotated through 90 degrees.', sentenceBoxes: [box(100)] });
    await settle(6);
    expect(byTestId(target, 'highlight')).toHaveLength(1);
    expect(byTestId(target, 'passage-shade')).toHaveLength(3);
    expect(byTestId(target, 'highlight')[0].style.top).toBe(`${(100 / 800) * 100}%`);
  });

  it('marks the whole passage when no sentence was given', async () => {
    const target = open(passage);
    await settle(6);
    expect(byTestId(target, 'highlight')).toHaveLength(3);
    expect(byTestId(target, 'passage-shade')).toHaveLength(0);
  });

  it('opens a long document at the cited page and draws only the pages near it', async () => {
    const target = open({ ...passage, page: 150 }, 300);
    await settle(8);
    expect(byTestId(target, 'page-sheet')).toHaveLength(300);
    expect(byTestId(target, 'viewer-page')[0].textContent).toBe('150 / 300');
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(148);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(152);
    expect(viewed.every((p) => p >= 148 && p <= 152)).toBe(true);
    // The highlight is on the cited page only.
    const cited = target.querySelector('[data-page="150"]')!;
    expect(cited.querySelectorAll('[data-testid="highlight"]').length).toBe(3);
    expect(byTestId(target, 'highlight')).toHaveLength(3);
  });

  it('pages with the arrow keys and PageUp/PageDown, zooms with + and -, fits with 0, closes with Esc', async () => {
    const target = open({ ...passage, page: 2 }, 5);
    await settle(8);
    const page = () => byTestId(target, 'viewer-page')[0].textContent;
    const zoom = () => byTestId(target, 'viewer-zoom')[0].textContent;
    expect(zoom()).toBe('Fit');
    key(target, 'ArrowRight');
    await settle();
    expect(page()).toBe('3 / 5');
    key(target, 'PageDown');
    key(target, 'PageUp');
    key(target, 'ArrowLeft');
    await settle();
    expect(page()).toBe('2 / 5');
    key(target, 'End');
    await settle();
    expect(page()).toBe('5 / 5');
    key(target, '+');
    await settle();
    expect(zoom()).toBe('125%');
    key(target, '-');
    key(target, '-');
    await settle();
    expect(zoom()).toBe('80%');
    key(target, '0');
    await settle();
    expect(zoom()).toBe('Fit');
    key(target, 'Escape');
    expect(closed).toBe(1);
  });
});
