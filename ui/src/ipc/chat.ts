import { Channel } from '@tauri-apps/api/core';
import type { Answer, ChatTurn, ConverseRequest } from './bindings';
import { call } from './invoke';

/**
 * Asks a question of some (or, with no ids, all) documents of a conversation. The
 * answer's text arrives piece by piece through `onText` as it is written; the promise
 * resolves with the whole answer and its citations. `answerId` names it for `stopAnswer`.
 */
export function converse(
  id: string,
  request: ConverseRequest,
  answerId: string,
  onText: (piece: string) => void,
): Promise<Answer> {
  const channel = new Channel<string>();
  channel.onmessage = onText;
  return call<Answer>('converse', { id, request, answerId, onText: channel });
}

/** Stops an answer that is still being written; its `converse` fails as cancelled. */
export const stopAnswer = (answerId: string) => call<void>('stop_answer', { answerId });

/** The conversation's earlier questions and answers, oldest first. */
export const chatHistory = (id: string) => call<ChatTurn[]>('chat_history', { id });

/** Asks where to save the conversation (Markdown or a web page, by the name chosen) and saves it; null if cancelled. */
export const exportConversation = (id: string) => call<string | null>('export_conversation', { id });
