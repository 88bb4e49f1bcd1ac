// Search everywhere's state against Tauri's IPC mock: the command and its arguments,
// the empty, found, none and error states, a late answer to an older search, and the
// citation a hit opens.
import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import type { PageView, SearchEverywhereHit, SearchEverywhereResults } from '../ipc';
import { searchEverywhere } from '../ipc';
import { citedMarks } from './highlight';
import { EverywhereSearch, hitCitation, hitPlace } from './searchEverywhere.svelte';

afterEach(() => clearMocks());

const ferryHit = (over: Partial<SearchEverywhereHit> = {}): SearchEverywhereHit => ({
  conversationId: 'c2',
  conversationName: 'Island trip',
  documentId: 7,
  documentName: 'Ferry.txt',
  page: 1,
  pageLabel: null,
  charStart: 0,
  charEnd: 51,
  passage: 'The ferry to the island leaves at 7:40 from pier 3.',
  snippet: [
    { text: 'The ', matched: false },
    { text: 'ferry', matched: true },
    { text: ' to the island leaves at 7:40 from pier 3.', matched: false },
  ],
  boxes: [],
  matched: 'keywords',
  score: 0.016,
  ...over,
});

const results = (query: string, hits: SearchEverywhereHit[]): SearchEverywhereResults => ({
  query,
  hits,
  keywordsOnly: null,
});

describe('searchEverywhere', () => {
  it('calls search_everywhere with the query and the limit', async () => {
    const calls: Array<[string, unknown]> = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return results('ferry', [ferryHit()]);
    });
    expect((await searchEverywhere('ferry')).hits).toHaveLength(1);
    await searchEverywhere('ferry', 5);
    expect(calls).toEqual([
      ['search_everywhere', { query: 'ferry', limit: null }],
      ['search_everywhere', { query: 'ferry', limit: 5 }],
    ]);
  });
});

describe('EverywhereSearch', () => {
  it('is empty until something is searched, then found or none', async () => {
    mockIPC((_cmd, args) => {
      const query = (args as { query: string }).query;
      return results(query, query === 'ferry' ? [ferryHit()] : []);
    });
    const search = new EverywhereSearch();
    expect(search.status).toBe('empty');
    await search.run('  ');
    expect(search.status).toBe('empty');
    await search.run(' ferry ');
    expect(search.status).toBe('found');
    expect(search.searched).toBe('ferry');
    await search.run('zeppelin');
    expect(search.status).toBe('none');
    expect(search.hits).toEqual([]);
  });

  it('shows a {kind, message} rejection as a sentence and keeps its kind', async () => {
    mockIPC(() => {
      throw { kind: 'unavailable', message: 'The local engine is shutting down' };
    });
    const search = new EverywhereSearch();
    await search.run('ferry');
    expect(search.status).toBe('error');
    expect(search.error?.kind).toBe('unavailable');
    expect(search.errorText).toBe('The local engine is shutting down. Please try again later.');
  });

  it('ignores the answer to an older search that arrives last', async () => {
    const pending: Array<(r: SearchEverywhereResults) => void> = [];
    mockIPC(() => new Promise((resolve) => pending.push(resolve)));
    const search = new EverywhereSearch();
    const older = search.run('fer');
    const newer = search.run('ferry');
    pending[1](results('ferry', [ferryHit()]));
    await newer;
    pending[0](results('fer', []));
    await older;
    expect(search.searched).toBe('ferry');
    expect(search.hits).toHaveLength(1);
    expect(search.searching).toBe(false);
  });

  it('says when meaning did not take part', async () => {
    mockIPC(() => ({ ...results('ferry', [ferryHit()]), keywordsOnly: 'Found by words only: no model.' }));
    const search = new EverywhereSearch();
    await search.run('ferry');
    expect(search.keywordsOnly).toBe('Found by words only: no model.');
  });
});

describe('a hit', () => {
  it('opens as a citation of its page: the snippet marked strongly inside its passage', () => {
    const hit = ferryHit({
      snippet: [
        { text: '… to the ', matched: false },
        { text: 'island', matched: true },
        { text: ' leaves at 7:40 …', matched: false },
      ],
    });
    const citation = hitCitation(hit);
    expect(citation).toMatchObject({ documentId: 7, page: 1, passage: hit.passage });
    expect(citation.sentence).toBe('to the island leaves at 7:40');
    expect(hitPlace(hit)).toBe('Ferry.txt, p. 1');
    expect(hitPlace(ferryHit({ pageLabel: 'slide 3' }))).toBe('Ferry.txt, slide 3');
    // The page as the viewer gets it: the passage is found and marked there.
    const text = `Opening hours are posted.\n${hit.passage}\n`;
    const start = text.indexOf(hit.passage);
    const end = start + hit.passage.length;
    const page: PageView = {
      documentId: 7,
      page: 1,
      pageCount: 1,
      label: null,
      kind: 'text',
      width: 0,
      height: 0,
      text,
      passages: [{ passageId: 1, charStart: start, charEnd: end, utf16Start: start, utf16End: end, boxes: [] }],
      ocrConfidence: null,
    };
    const marks = citedMarks(page, citation);
    const quoted = text.indexOf('to the island');
    expect(marks.strongRange).toEqual([quoted, quoted + 'to the island leaves at 7:40'.length]);
    expect(marks.passageRange).toEqual([start, end]);
  });
});
