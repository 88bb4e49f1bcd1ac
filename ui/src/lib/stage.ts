// Words a person reads for each processing stage, and the small judgements the screens
// make from a stage or a citation.
import type { DocumentStage, Source } from '../ipc';

export const STAGE_WORDS: Record<DocumentStage, string> = {
  waiting: 'Waiting',
  reading: 'Reading',
  recognisingText: 'Recognising text',
  indexing: 'Indexing',
  // Already askable; meaning-based search is still being added.
  embedding: 'Ready · improving search',
  ready: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function isWorking(stage: DocumentStage): boolean {
  return stage === 'waiting' || stage === 'reading' || stage === 'recognisingText' || stage === 'indexing';
}

/** Whether questions can be asked of a document in this stage. */
export function isAskable(stage: DocumentStage): boolean {
  return stage === 'ready' || stage === 'embedding';
}

/** "R-intro.pdf, p. 58"; formats without pages say what they have ("lines 41-80"). */
export function citationLabel(source: Source): string {
  if (source.pageLabel) return `${source.documentName}, ${source.pageLabel}`;
  if (source.page) return `${source.documentName}, p. ${source.page}`;
  return source.documentName;
}
