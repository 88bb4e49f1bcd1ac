// Answers written by a model are Markdown. Both the model's output and the document text
// it quotes can contain HTML or script, so raw HTML is never passed through: marked
// escapes it, and DOMPurify then keeps only the plain formatting tags listed here. Links
// become text (a link in an answer must not navigate Folio's window), and images are
// dropped (an <img onerror> must never load or run).
import { Marked } from 'marked';
import DOMPurify from 'dompurify';

const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'hr',
  'ul',
  'ol',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'span',
];

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // Raw HTML in the Markdown is shown as the text it is.
    html: ({ text }) => escape(text),
    link({ tokens }) {
      return `<span class="link">${this.parser.parseInline(tokens)}</span>`;
    },
    image: ({ text }) => escape(text),
  },
});

/** Safe HTML for a Markdown answer. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR: ['class'] });
}
