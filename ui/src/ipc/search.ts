import type { SearchEverywhereResults } from './bindings';
import { call } from './invoke';

/**
 * Passages matching `query` in every conversation on this computer, by their words and
 * by their meaning, best first. Always Folio's own library, whichever backend answers.
 */
export const searchEverywhere = (query: string, limit: number | null = null) =>
  call<SearchEverywhereResults>('search_everywhere', { query, limit });
