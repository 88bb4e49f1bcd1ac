// Settings' Advanced disclosure for AI Hub: the flags bind to the settings, and the
// combinations AI Hub's documentation forbids cannot be ticked.
import { afterEach, describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import AiHubProcessingOptions from './AiHubProcessingOptions.svelte';
import { byTestId, render } from '../test/render';
import type { AiHubProcessing } from '../ipc';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const off: AiHubProcessing = {
  objectDetection: false,
  entityDetection: false,
  convertedImages: false,
  thumbnails: false,
  fastMode: false,
  multilanguage: false,
  multilanguageAdvanced: false,
};

describe('AiHubProcessingOptions', () => {
  it('fast mode rules out the heavy steps, and advanced multilanguage needs multilanguage', () => {
    const processing = $state({ ...off });
    const view = render(AiHubProcessingOptions, { processing });
    cleanup = view.destroy;
    const box = (flag: string) => byTestId(view.target, `aihub-flag-${flag}`)[0] as HTMLInputElement;
    expect(box('multilanguageAdvanced').disabled).toBe(true);
    box('fastMode').click();
    flushSync();
    expect(processing.fastMode).toBe(true);
    expect(box('thumbnails').disabled).toBe(true);
    expect(box('entityDetection').disabled).toBe(true);
    expect(box('objectDetection').disabled).toBe(false);
    box('multilanguage').click();
    flushSync();
    expect(box('multilanguageAdvanced').disabled).toBe(false);
  });
});
