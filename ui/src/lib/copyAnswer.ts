// One answer as plain text for the clipboard: its words, a [n] after each claim Folio
// found in the documents (or "(not found in your documents)"), then the sources, each
// quote with the document and page it comes from, so the answer can be pasted anywhere
// and still be checked.
import type { Answer, Source } from '../ipc';
import { pieces } from './sentences';

/** A quote taken from a whole passage is cut to about this many characters. */
const PASSAGE_QUOTE = 300;

/** "Ferry.pdf, page 2", or the label a format without pages uses, or the name alone. */
export function place(source: Source): string {
  if (source.pageLabel) return `${source.documentName}, ${source.pageLabel}`;
  if (source.page) return `${source.documentName}, page ${source.page}`;
  return source.documentName;
}

const oneLine = (text: string) => text.split(/\s+/).filter(Boolean).join(' ');

function shortened(text: string, max = PASSAGE_QUOTE): string {
  if ([...text].length <= max) return text;
  const cut = [...text].slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}

/** “quote” — Ferry.pdf, page 2 (the place alone when there is no quote). */
const note = (quote: string | null | undefined, source: Source) =>
  quote ? `“${quote}” — ${place(source)}` : place(source);

/** The text "Copy answer" puts on the clipboard. */
export function answerCopyText(answer: Answer): string {
  const notes: string[] = [];
  let body: string;
  if ((answer.sentences ?? []).length > 0) {
    // Checked sentences: each found claim gets its own note, quoting the sentence of the
    // document that says it (one note for the same quote cited twice).
    body = pieces(answer, answer.text)
      .map((piece) => {
        if (piece.kind === 'plain') return piece.text;
        const s = piece.sentence;
        const source = s.support === 'supported' && s.source !== null ? answer.sources[s.source] : undefined;
        if (!source) return `${piece.text} (not found in your documents)`;
        const quote = s.evidence ?? source.passage;
        const said = note(quote ? oneLine(quote) : null, source);
        let n = notes.indexOf(said) + 1;
        if (n === 0) n = notes.push(said);
        return `${piece.text} [${n}]`;
      })
      .join('');
  } else {
    // A service's answer: its own [n] markers already count the sources in order.
    body = answer.text;
    for (const source of answer.sources) {
      notes.push(note(source.passage ? shortened(oneLine(source.passage)) : null, source));
    }
  }
  const text = body.trim();
  if (notes.length === 0) return text;
  return `${text}\n\nSources:\n${notes.map((said, i) => `[${i + 1}] ${said}`).join('\n')}`;
}
