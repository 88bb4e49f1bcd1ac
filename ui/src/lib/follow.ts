// Keeps the chat on its newest answer as it arrives, unless the person has scrolled up
// to read something earlier: then it stays where they are until they come back down or
// send a question.

/** The nearest ancestor that scrolls vertically (the app's main column). */
export function scrollParent(node: HTMLElement): HTMLElement | null {
  for (let el = node.parentElement; el; el = el.parentElement) {
    const overflow = getComputedStyle(el).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') return el;
  }
  return null;
}

/** How near the end still counts as "at the end" (a line or two). */
const slack = 48;

export function followNewest(scroller: HTMLElement) {
  let following = true;
  // Where our own last scroll put the column: its scroll event is not the person's.
  let ours: number | null = null;
  const atEnd = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= slack;
  const onScroll = () => {
    if (ours !== null && Math.abs(scroller.scrollTop - ours) < 2) return;
    ours = null;
    following = atEnd();
  };
  scroller.addEventListener('scroll', onScroll, { passive: true });

  /** To the end, but never past the top of `turn`: a long answer is read from its start. */
  function reveal(turn: HTMLElement | undefined) {
    const end = scroller.scrollHeight - scroller.clientHeight;
    const turnTop = turn
      ? turn.getBoundingClientRect().top - scroller.getBoundingClientRect().top + scroller.scrollTop - 16
      : end;
    const target = Math.max(scroller.scrollTop, Math.min(end, turnTop));
    if (target === scroller.scrollTop) return;
    scroller.scrollTop = target;
    ours = scroller.scrollTop;
  }

  return {
    /** The answer grew or arrived: show it if the person was following. */
    follow(turn: HTMLElement | undefined) {
      if (following) reveal(turn);
    },
    /** The person sent a question: follow again from here. */
    jump(turn: HTMLElement | undefined) {
      following = true;
      reveal(turn);
    },
    get following() {
      return following;
    },
    stop() {
      scroller.removeEventListener('scroll', onScroll);
    },
  };
}
