// A document's row in each state: working with pages done, ready, failed with its
// reason and the actions a person can take.
import { afterEach, describe, expect, it } from 'vitest';
import DocumentRow from './DocumentRow.svelte';
import { byTestId, doc, render } from '../test/render';

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
    const { target, actions } = show(doc(2, 'broken.pdf', 'failed', 'broken.pdf is not a complete PDF (it ends early)'));
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
});
