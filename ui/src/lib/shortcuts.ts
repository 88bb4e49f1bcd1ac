// Keyboard shortcuts: Ctrl (⌘ on macOS) plus a letter. Returns the unsubscribe function.
// Shortcuts also work while typing, since none of these letters edits text with Ctrl.
export type Shortcuts = Record<string, () => void>;

export function shortcut(actions: Shortcuts, target: Window = window): () => void {
  const onKey = (event: KeyboardEvent) => {
    const modifier = navigator.platform.startsWith('Mac') ? event.metaKey : event.ctrlKey;
    if (!modifier || event.altKey || event.shiftKey) return;
    const action = actions[event.key.toLowerCase()];
    if (!action) return;
    event.preventDefault();
    action();
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
