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
  documentId: 1, page: 1, pageCount: 2, label: null, kind: 'pdf', width: 600, height: 800,
  text: 'All text is rotated through 90 degrees. It works with longtable.', passages: [], ocrConfidence: null,
};

function open(source: Citation) {
  backend({
    page_view: () => view,
    render_page: () => new ArrayBuffer(8),
    document_details: () => { throw { kind: 'notFound', message: 'no details here' }; },
  });
  const v = render(PageViewer, { conversationId: 'c1', source, onClose: () => {} });
  cleanup = v.destroy;
  return v.target;
}

const passage: Citation = {
  documentId: 1, documentName: 'lscape.pdf', page: 1, pageLabel: null,
  passage: 'All text is rotated through 90 degrees. It works with longtable.', boxes: [box(100), box(112), box(124)],
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
});
