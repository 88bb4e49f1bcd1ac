import type { BoundingBox, DocumentDetails, PageView, Source } from './bindings';
import { call } from './invoke';

/** One page of a document: its size, text and passages, for the viewer. */
export const pageView = (id: string, documentId: number, page: number) =>
  call<PageView>('page_view', { id, documentId, page });

/** The page as a PNG picture `widthPx` wide (PDF and image pages), as an object URL. */
export async function renderPage(id: string, documentId: number, page: number, widthPx: number): Promise<string> {
  const bytes = await call<ArrayBuffer>('render_page', { id, documentId, page, widthPx: Math.round(widthPx) });
  return URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
}

/** Pages, size, type and whether OCR was used, for the document panel. */
export const documentDetails = (id: string, documentId: number) =>
  call<DocumentDetails>('document_details', { id, documentId });

/**
 * What the viewer opens: a source, and when a sentence of an answer was clicked, the
 * document's sentence that supports it (highlighted strongly; the passage lightly).
 */
export interface Citation extends Source {
  sentence?: string | null;
  sentenceBoxes?: BoundingBox[];
}
