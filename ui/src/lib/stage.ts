// Words a person reads for each processing stage.
import type { DocumentStage } from '../ipc';

export const STAGE_WORDS: Record<DocumentStage, string> = {
  waiting: 'Waiting',
  reading: 'Reading',
  recognisingText: 'Recognising text',
  indexing: 'Indexing',
  ready: 'Ready',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function isWorking(stage: DocumentStage): boolean {
  return stage === 'waiting' || stage === 'reading' || stage === 'recognisingText' || stage === 'indexing';
}
