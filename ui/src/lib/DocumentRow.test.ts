// A document's row in each state: working with pages done, ready, failed with its
// reason and the actions a person can take.
import { afterEach, describe, expect, it } from 'vitest';
import DocumentRow from './DocumentRow.svelte';
import { byTestId, doc, render, settle } from '../test/render';
import type { DocumentDetails } from '../ipc';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function show(document: ReturnType<typeof doc>) {
  const actions: string[] = [];
  const view = render(DocumentRow, { document, onAction: (a: string) => actions.push(a) });
  cleanup = view.destroy;
  return { ...view, actions };
}

describe('DocumentRow', () => {
  it('shows pages done of total while reading, and offers to stop', () => {
    const { target, actions } = show({ ...doc(1, 'Manual.pdf', 'reading'), progress: { done: 12, total: 48 } });
    expect(byTestId(target, 'document-stage')[0].textContent).toBe('Reading');
    expect(target.textContent).toContain('12 of 48 pages');
    expect(target.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('25');
    byTestId(target, 'document-cancel')[0].click();
    expect(actions).toEqual(['cancel']);
    expect(byTestId(target, 'document-retry')).toHaveLength(0);
  });

  it('shows why a document failed, with Retry and Remove', () => {
    const { target, actions } = show(
      doc(2, 'broken.pdf', 'failed', 'broken.pdf is not a complete PDF (it ends early)'),
    );
    expect(byTestId(target, 'document-failure')[0].textContent).toContain('broken.pdf is not a complete PDF');
    byTestId(target, 'document-retry')[0].click();
    byTestId(target, 'document-remove')[0].click();
    expect(actions).toEqual(['retry', 'remove']);
    expect(byTestId(target, 'document-cancel')).toHaveLength(0);
  });

  it('a ready document has no progress bar', () => {
    const { target } = show(doc(3, 'Notes.txt', 'ready'));
    expect(target.querySelector('[role="progressbar"]')).toBeNull();
    expect(byTestId(target, 'document-remove')).toHaveLength(1);
  });

  it("opens the backend's details from the row, leaving out what the backend does not say", async () => {
    // As AI Hub describes a document: pages and state, no size or passages.
    const aihub: DocumentDetails = {
      id: 15,
      name: 'Lease.pdf',
      kind: 'pdf',
      stage: 'ready',
      pageCount: 3,
      sizeBytes: 0,
      ocrUsed: true,
      ocrPages: 1,
      ocrMeanConfidence: null,
      passages: 0,
      embeddedPassages: 0,
      pageWidth: 2550,
      pageHeight: 3301,
      failureReason: null,
      uploadedAt: '2024-05-01T10:00:00Z',
    };
    let asked = 0;
    const view = render(DocumentRow, {
      document: doc(15, 'Lease.pdf', 'ready'),
      onAction: () => {},
      loadDetails: async () => (asked++, aihub),
    });
    cleanup = view.destroy;
    byTestId(view.target, 'document-details-toggle')[0].click();
    await settle();
    const facts = byTestId(view.target, 'document-facts')[0].textContent ?? '';
    expect(facts).toContain('PDF');
    expect(facts).toMatch(/Pages\s*3/);
    expect(facts).toContain('Yes, 1 page');
    expect(facts).not.toContain('Size');
    expect(facts).not.toContain('Passages');
    byTestId(view.target, 'document-details-toggle')[0].click();
    await settle();
    expect(byTestId(view.target, 'document-facts')).toHaveLength(0);
    expect(asked).toBe(1);
  });

  it('says why the details could not be read', async () => {
    const view = render(DocumentRow, {
      document: doc(4, 'a.pdf', 'ready'),
      onAction: () => {},
      loadDetails: () => Promise.reject({ kind: 'unavailable', message: 'AI Hub did not answer' }),
    });
    cleanup = view.destroy;
    byTestId(view.target, 'document-details-toggle')[0].click();
    await settle();
    expect(byTestId(view.target, 'document-details-error')[0].textContent).toContain('AI Hub did not answer');
  });
});
