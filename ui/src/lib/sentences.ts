// An answer cut into what it claims and what it does not: each checked sentence (with its
// source or a "not found" mark) and the text between them (a lead-in, Folio's [n]
// markers, which the sentence chips replace).
import type { Answer, AnswerSentence } from '../ipc';

export type Piece = { kind: 'plain'; text: string } | { kind: 'sentence'; text: string; sentence: AnswerSentence };

/** Pieces in order; sentences are found by their text (ranges are UTF-8 bytes, JS counts UTF-16). */
export function pieces(answer: Answer, shownText: string): Piece[] {
  const out: Piece[] = [];
  let from = 0;
  for (const sentence of answer.sentences ?? []) {
    const at = shownText.indexOf(sentence.text, from);
    if (at < 0) continue;
    if (at > from) plain(out, shownText.slice(from, at));
    let text = sentence.text;
    from = at + text.length;
    if (answer.kind === 'quoted') {
      // A quote's chip goes after its closing mark, and replaces the "(file, page n)"
      // written after it: one citation per quote, not three.
      if (shownText.startsWith('”', from)) {
        text += '”';
        from += 1;
      }
      const written = /^ \((?:[^()]|\([^()]*\))*\)/.exec(shownText.slice(from));
      if (written) from += written[0].length;
    }
    // The chip beside the sentence replaces any [n] it carries (`… 14 points [1].`).
    out.push({ kind: 'sentence', text: text.replace(/\s*\[\d+(?:[,\s-]+\d+)*\]/g, ''), sentence });
  }
  if (from < shownText.length) plain(out, shownText.slice(from));
  return out;
}

function plain(out: Piece[], text: string) {
  // Folio's own markers after a sentence: the chip beside it says the same.
  // ("… sunset." [1]: after a closing quote mark too).
  const rest = text.replace(/^(["”’)]*)(\s*\[\d+\])+/, '$1');
  if (rest) out.push({ kind: 'plain', text: rest });
}
