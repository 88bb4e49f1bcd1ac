import type { Answer, ConverseRequest } from './bindings';
import { call } from './invoke';

/** Asks a question of some (or, with no ids, all) documents of a conversation. */
export const converse = (id: string, request: ConverseRequest) => call<Answer>('converse', { id, request });
