import { Channel } from '@tauri-apps/api/core';
import type {
  Conversation,
  ConversationSummary,
  ConversationUpdate,
  CreatedConversation,
  DocumentProgress,
  ListQuery,
  SourceFact,
  UploadStatus,
} from './bindings';
import { call } from './invoke';

export const listConversations = (query: ListQuery = { sortKey: null, ascending: null, search: null }) =>
  call<ConversationSummary[]>('list_conversations', { query });

/** Starts a conversation from files; Folio names it after the first one. */
export const createConversation = (paths: string[]) => call<CreatedConversation>('create_conversation', { paths });

export const getConversation = (id: string) => call<Conversation>('get_conversation', { id });

export const updateConversation = (id: string, update: ConversationUpdate) =>
  call<void>('update_conversation', { id, update });

export const deleteConversation = (id: string) => call<void>('delete_conversation', { id });

/** What the service holding the conversation keeps about it (empty for Folio's own). */
export const sourceFacts = (id: string) => call<SourceFact[]>('source_facts', { id });

export const addDocuments = (id: string, paths: string[]) => call<UploadStatus>('add_documents', { id, paths });

export const deleteDocuments = (id: string, documentIds: number[]) =>
  call<void>('delete_documents', { id, documentIds });

/** Stops documents that are still being processed. */
export const cancelDocuments = (id: string, documentIds: number[]) =>
  call<void>('cancel_documents', { id, documentIds });

/** Processes failed or cancelled documents again. */
export const retryDocuments = (id: string, documentIds: number[]) => call<void>('retry_documents', { id, documentIds });

/**
 * Receives every change of the conversation's documents, pushed from Rust, until none
 * is still processing; resolves with the settled conversation.
 */
export function followConversation(
  id: string,
  onProgress: (progress: DocumentProgress) => void,
): Promise<Conversation> {
  const channel = new Channel<DocumentProgress>();
  channel.onmessage = onProgress;
  return call<Conversation>('follow_conversation', { id, onProgress: channel });
}
