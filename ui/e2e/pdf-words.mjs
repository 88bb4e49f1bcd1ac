// Ground truth for "the highlight lies on the quoted words": where each word of a PDF
// page is, read by poppler's pdftotext (installed by scripts/setup.d/40-engine.sh),
// independently of Folio's engine. And a real text printed as one very tall PDF page.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/** The words of one page with their boxes as fractions of the page (0..1, from top left). */
export function pageWords(pdf, page) {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-']).toString();
  const [, width, height] = /<page width="([\d.]+)" height="([\d.]+)">/.exec(html).map(Number);
  const words = [
    ...html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
  ].map(([, x0, y0, x1, y1, text]) => ({
    x0: x0 / width,
    y0: y0 / height,
    x1: x1 / width,
    y1: y1 / height,
    text: decode(text),
  }));
  return { width, height, words };
}

const decode = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** A word as compared: lower case, letters and digits only (quotes and hyphens vary). */
export const normal = (w) => w.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/**
 * Which words lie under the marks (boxes as fractions of the page), and how well they
 * match `quote`: `precision` is the share of marked words that are the quote's, `recall`
 * the share of the quote's words that are marked.
 */
export function marksAgainstQuote(pageWordsOf, marks, quote) {
  const inside = (w) => {
    const [cx, cy] = [(w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2];
    return marks.some((m) => cx >= m.x0 && cx <= m.x1 && cy >= m.y0 && cy <= m.y1);
  };
  const marked = pageWordsOf.words
    .filter(inside)
    .map((w) => normal(w.text))
    .filter(Boolean);
  const quoted = new Set(quote.split(/\s+/).map(normal).filter(Boolean));
  const markedSet = new Set(marked);
  const precision = marked.length ? marked.filter((w) => quoted.has(w)).length / marked.length : 0;
  const recall = quoted.size ? [...quoted].filter((w) => markedSet.has(w)).length / quoted.size : 0;
  return { marked: marked.join(' '), precision, recall };
}

/**
 * Prints `lines` of real text on one page `width` points wide and as tall as they need
 * (a web page or receipt saved as a single PDF page), in Helvetica 11/14. Returns the
 * page's height in points.
 */
export function writeTallPagePdf(path, lines, width = 612) {
  const margin = 54;
  const leading = 14;
  const height = margin * 2 + lines.length * leading;
  const escape = (s) => s.replace(/[\\()]/g, '\\$&').replace(/[^\x20-\x7e]/g, '?');
  const text = lines.map((l) => `(${escape(l)}) Tj T*`).join('\n');
  const stream = `BT /F1 11 Tf ${leading} TL ${margin} ${height - margin - 11} Td\n${text}\nET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${Buffer.byteLength(stream)} >>\nstream\n${stream}\nendstream`,
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = Buffer.byteLength(pdf);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = Buffer.byteLength(pdf);
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  writeFileSync(path, pdf);
  return height;
}
