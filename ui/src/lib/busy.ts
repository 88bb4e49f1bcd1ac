// What a pending question says while it waits, from what the window really knows: no
// timer. The answer's first piece has not come (waiting) or pieces are arriving
// (writing); which backend and model answer; how many documents are still being read.
import type { BackendChoice, ConverseMode, ModelProvider } from '../ipc';

export interface PendingAnswer {
  /** `waiting` until the first piece of the answer arrives, `writing` after. */
  phase: 'waiting' | 'writing';
  backend: BackendChoice;
  provider: ModelProvider;
  /** Whether a built-in model is installed (Automatic then writes with it). */
  builtinInstalled: boolean;
  mode: ConverseMode;
  /** Documents of this conversation still being read. */
  reading: number;
}

const remoteNames: Record<Exclude<BackendChoice, 'local'>, string> = {
  aiHub: 'AI Hub',
  airia: 'Airia',
  pieces: 'Pieces OS',
};

/** The one calm line shown under a question while its answer is pending. */
export function busyWords(p: PendingAnswer): string {
  if (p.phase === 'writing') return 'Still writing the answer…';
  if (p.backend !== 'local') return `Waiting for ${remoteNames[p.backend]} to answer…`;
  const looking = p.mode === 'advanced' ? 'Reading more passages (Thorough)…' : 'Looking through your documents…';
  const alsoReading =
    p.reading > 0
      ? ` Folio is also reading ${p.reading} ${p.reading === 1 ? 'document' : 'documents'}, so this takes a little longer.`
      : '';
  return `${looking}${modelSentence(p)}${alsoReading}`;
}

/** Who writes the answer on this computer, when a model does. */
function modelSentence(p: PendingAnswer): string {
  if (p.provider === 'ollama') return ' Ollama writes the answer.';
  if (p.provider === 'openAi') return ' Your OpenAI-compatible model writes the answer.';
  const builtin = p.provider === 'builtin' || (p.provider === 'automatic' && p.builtinInstalled);
  // Nothing tells the window whether the model is in memory yet: say when it loads.
  if (builtin) return ' The built-in model writes the answer; the first one after a start also loads it.';
  return '';
}
