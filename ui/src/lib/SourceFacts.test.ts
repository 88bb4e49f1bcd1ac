// "Kept by Airia": shown only while Airia is chosen, read from Airia when opened.
import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import SourceFacts from './SourceFacts.svelte';
import { backend, byTestId, render, settle } from '../test/render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  clearMocks();
});

function show(activeBackend: string) {
  const asked: string[] = [];
  backend({
    get_settings: () => ({ activeBackend }),
    source_facts: (a) => {
      asked.push(a.id as string);
      return [
        { label: 'Title', value: 'Research' },
        { label: 'Bookmarked', value: 'yes' },
      ];
    },
  });
  const view = render(SourceFacts, { conversationId: 'c1' });
  cleanup = view.destroy;
  return { ...view, asked };
}

describe('SourceFacts', () => {
  it('lists what Airia keeps once opened', async () => {
    const { target, asked } = show('airia');
    await settle();
    const details = byTestId(target, 'source-facts')[0] as HTMLDetailsElement;
    expect(details.textContent).toContain('Kept by Airia');
    expect(asked).toEqual([]);
    details.open = true;
    await settle();
    expect(asked).toEqual(['c1']);
    expect(byTestId(target, 'source-fact').map((d) => d.textContent)).toEqual(['Research', 'yes']);
  });

  it('is not there for Folio on this computer', async () => {
    const { target } = show('local');
    await settle();
    expect(byTestId(target, 'source-facts')).toHaveLength(0);
  });
});
