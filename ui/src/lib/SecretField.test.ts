// A secret's field: says whether one is saved without showing it, saves to the keychain
// and forgets what was typed, removes when emptied, and says why when the keychain fails.
import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks } from '@tauri-apps/api/mocks';
import SecretField from './SecretField.svelte';
import { backend, byTestId, render, settle } from '../test/render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  clearMocks();
});

function show(handlers: Parameters<typeof backend>[0]) {
  const saved: unknown[] = [];
  backend({ ...handlers, set_secret: (args) => (saved.push(args), handlers.set_secret?.(args) ?? null) });
  const view = render(SecretField, { name: 'airiaKey' as const, label: 'API key', what: 'key', testId: 'airia-key' });
  cleanup = view.destroy;
  return { ...view, saved };
}

function type(input: HTMLInputElement, text: string) {
  input.value = text;
  input.dispatchEvent(new Event('input'));
}

describe('SecretField', () => {
  it('says a key is saved, saves a new one to the keychain and clears the field', async () => {
    const { target, saved } = show({ has_secret: () => true });
    await settle();
    const input = byTestId(target, 'airia-key')[0] as HTMLInputElement;
    expect(input.placeholder).toBe('A key is saved (type a new one to replace it)');
    expect(input.value).toBe('');
    type(input, 'sk-new-key');
    await settle();
    expect(byTestId(target, 'airia-key-save')[0].textContent).toBe('Save key');
    byTestId(target, 'airia-key-save')[0].click();
    await settle();
    expect(saved).toEqual([{ name: 'airiaKey', value: 'sk-new-key' }]);
    expect(input.value).toBe('');
    expect(byTestId(target, 'airia-key-message')[0].textContent).toBe('Key saved in your system keychain.');
  });

  it('removes the key when saved empty', async () => {
    const { target, saved } = show({ has_secret: () => true });
    await settle();
    expect(byTestId(target, 'airia-key-save')[0].textContent).toBe('Remove key');
    byTestId(target, 'airia-key-save')[0].click();
    await settle();
    expect(saved).toEqual([{ name: 'airiaKey', value: '' }]);
    expect((byTestId(target, 'airia-key')[0] as HTMLInputElement).placeholder).toBe('Paste the key');
    expect(byTestId(target, 'airia-key-message')[0].textContent).toBe('Key removed.');
  });

  it('says what went wrong when the keychain cannot be used', async () => {
    const locked = () => {
      throw { kind: 'unavailable', message: 'The system keychain is locked' };
    };
    const { target } = show({ has_secret: locked, set_secret: locked });
    await settle();
    expect(byTestId(target, 'airia-key-message')[0].textContent).toContain('keychain is locked');
  });
});
