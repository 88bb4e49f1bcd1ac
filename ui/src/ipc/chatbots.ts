import { Channel } from '@tauri-apps/api/core';
import { open } from '@tauri-apps/plugin-dialog';
import type { ChatbotEntry, ChatbotHost, NewChatbot, QueryModel, QueryStatus } from './bindings';
import { call } from './invoke';

export const listChatbots = () => call<ChatbotEntry[]>('list_chatbots');

/** Makes a local chatbot; its files are read in the background (follow its conversation). */
export const createChatbot = (created: NewChatbot) => call<ChatbotEntry>('create_chatbot', { new: created });

export const renameChatbot = (id: string, name: string, description: string | null) =>
  call<void>('rename_chatbot', { id, name, description });

export const deleteChatbot = (id: string) => call<void>('delete_chatbot', { id });

/** What a chatbot question asks for besides the question: how thorough, whether the
 * reply names its sources, and a name for `stopChatbot`. */
export interface ChatbotAsk {
  model: QueryModel;
  includeSources: boolean;
  answerId: string;
}

/** Asks a chatbot one question; its status is pushed while it runs. */
export function askChatbot(
  host: ChatbotHost,
  id: string,
  query: string,
  ask: ChatbotAsk,
  onStatus: (status: QueryStatus) => void,
): Promise<QueryStatus> {
  const channel = new Channel<QueryStatus>();
  channel.onmessage = onStatus;
  return call<QueryStatus>('ask_chatbot', { host, id, query, ...ask, onStatus: channel });
}

/** Stops a chatbot question still running; its `askChatbot` fails as cancelled. */
export const stopChatbot = (answerId: string) => call<void>('stop_answer', { answerId });

/** Opens the native folder picker; null when the person cancels. */
export async function pickFolder(): Promise<string | null> {
  const picked = await open({ directory: true, multiple: false, title: 'Choose a folder of documents' });
  return typeof picked === 'string' ? picked : null;
}

/** Opens the native file picker for several files; empty when the person cancels. */
export async function pickDocuments(): Promise<string[]> {
  const picked = await open({ multiple: true, directory: false, title: 'Choose documents for the chatbot' });
  return picked === null ? [] : Array.isArray(picked) ? picked : [picked];
}
