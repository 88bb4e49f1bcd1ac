// "Search everywhere": the search box's state (kept while the person opens a hit and
// comes back) and how a hit becomes the citation the page viewer opens.
import { describe, FolioError, searchEverywhere, type Citation, type SearchEverywhereHit } from '../ipc';
import { citationLabel } from './stage';

export type SearchStatus = 'empty' | 'searching' | 'found' | 'none' | 'error';

export class EverywhereSearch {
  query = $state('');
  /** What the shown hits were found for (the box may have changed since). */
  searched = $state('');
  hits = $state<SearchEverywhereHit[]>([]);
  /** Why meaning did not (fully) take part, when it did not. */
  keywordsOnly = $state<string | null>(null);
  searching = $state(false);
  error = $state<FolioError | null>(null);
  /** Only the newest search's answer is shown: an older one may arrive later. */
  private ticket = 0;

  get status(): SearchStatus {
    if (this.error) return 'error';
    if (this.searching && this.hits.length === 0) return 'searching';
    if (!this.searched) return 'empty';
    return this.hits.length > 0 ? 'found' : 'none';
  }

  /** The error as one sentence for a person. */
  get errorText(): string {
    return this.error ? describe(this.error) : '';
  }

  async run(query = this.query) {
    const text = query.trim();
    const ticket = ++this.ticket;
    if (!text) {
      this.clear();
      return;
    }
    this.searching = true;
    try {
      const found = await searchEverywhere(text);
      if (ticket !== this.ticket) return;
      this.hits = found.hits;
      this.keywordsOnly = found.keywordsOnly;
      this.searched = text;
      this.error = null;
    } catch (raw) {
      if (ticket !== this.ticket) return;
      this.error = FolioError.from(raw);
      this.hits = [];
    } finally {
      if (ticket === this.ticket) this.searching = false;
    }
  }

  clear() {
    this.hits = [];
    this.searched = '';
    this.keywordsOnly = null;
    this.error = null;
    this.searching = false;
  }
}

/**
 * What the viewer opens for a hit: its page, the snippet's lines marked strongly inside
 * the lightly shaded passage, as a cited sentence is (a whole passage marked strongly
 * covered most of a dense page).
 */
export function hitCitation(hit: SearchEverywhereHit): Citation {
  return {
    documentId: hit.documentId,
    documentName: hit.documentName,
    page: hit.page,
    pageLabel: hit.pageLabel,
    passage: hit.passage,
    boxes: hit.boxes,
    sentence: snippetText(hit) || null,
  };
}

/** The snippet's words as one string, without the "…" that mark where text was left out. */
export function snippetText(hit: SearchEverywhereHit): string {
  return hit.snippet
    .map((part) => part.text)
    .join('')
    .replace(/^…\s*/, '')
    .replace(/\s*…$/, '')
    .trim();
}

/** "Ferry.txt, p. 1", as citations name their page. */
export const hitPlace = (hit: SearchEverywhereHit) => citationLabel(hitCitation(hit));

/** One search box for the whole window. */
export const everywhere = new EverywhereSearch();
