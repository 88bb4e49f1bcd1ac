import { describe, expect, it } from 'vitest';
import { busyWords, type PendingAnswer } from './busy';

const pending = (over: Partial<PendingAnswer> = {}): PendingAnswer => ({
  phase: 'waiting',
  backend: 'local',
  provider: 'automatic',
  builtinInstalled: false,
  mode: 'default',
  reading: 0,
  ...over,
});

describe('busyWords', () => {
  it('says what is happening before the first piece arrives, on this computer', () => {
    expect(busyWords(pending())).toBe('Looking through your documents…');
    expect(busyWords(pending({ mode: 'advanced' }))).toBe('Reading more passages (Thorough)…');
    expect(busyWords(pending({ reading: 2 }))).toBe(
      'Looking through your documents… Folio is also reading 2 documents, so this takes a little longer.',
    );
  });

  it('names the model that writes the answer', () => {
    expect(busyWords(pending({ builtinInstalled: true }))).toBe(
      'Looking through your documents… The built-in model writes the answer; the first one after a start also loads it.',
    );
    expect(busyWords(pending({ provider: 'ollama' }))).toBe(
      'Looking through your documents… Ollama writes the answer.',
    );
    expect(busyWords(pending({ provider: 'none', builtinInstalled: true }))).toBe('Looking through your documents…');
  });

  it('names the remote service that is answering', () => {
    expect(busyWords(pending({ backend: 'aiHub' }))).toBe('Waiting for AI Hub to answer…');
    expect(busyWords(pending({ backend: 'pieces' }))).toBe('Waiting for Pieces OS to answer…');
  });

  it('says it is still writing once pieces arrive', () => {
    expect(busyWords(pending({ phase: 'writing', backend: 'airia' }))).toBe('Still writing the answer…');
  });
});
