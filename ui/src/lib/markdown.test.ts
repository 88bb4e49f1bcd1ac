// The answer renderer: Markdown formatting comes through, while HTML and script from a
// document or a model render as inert text.
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

function mount(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

describe('renderMarkdown', () => {
  it('renders the formatting a model uses', () => {
    const el = mount(
      renderMarkdown('**Fees** are:\n\n- 10 EUR\n- `free` for members\n\n| a | b |\n|---|---|\n| 1 | 2 |'),
    );
    expect(el.querySelector('strong')?.textContent).toBe('Fees');
    expect(el.querySelectorAll('li')).toHaveLength(2);
    expect(el.querySelector('code')?.textContent).toBe('free');
    expect(el.querySelector('td')?.textContent).toBe('1');
  });

  it('shows script and event-handler HTML as text, never as elements', () => {
    const hostile = 'Before <script>window.hacked = 1</script> and <img src=x onerror="window.hacked = 2"> after';
    const el = mount(renderMarkdown(hostile));
    expect(el.querySelector('script')).toBeNull();
    expect(el.querySelector('img')).toBeNull();
    const handlers = [...el.querySelectorAll('*')].flatMap((node) =>
      [...node.attributes].filter((a) => a.name.startsWith('on')),
    );
    expect(handlers).toEqual([]);
    expect(el.textContent).toContain('<script>window.hacked = 1</script>');
    expect(el.textContent).toContain('<img src=x onerror="window.hacked = 2">');
  });

  it('turns links and images into plain text', () => {
    const el = mount(renderMarkdown('[click](javascript:alert(1)) and ![pic](http://x/y.png)'));
    expect(el.querySelector('a')).toBeNull();
    expect(el.querySelector('img')).toBeNull();
    expect(el.textContent).toContain('click');
  });

  it('keeps a very long answer whole', () => {
    const long = Array.from({ length: 2000 }, (_, i) => `Sentence ${i}.`).join(' ');
    expect(mount(renderMarkdown(long)).textContent).toContain('Sentence 1999.');
  });
});
