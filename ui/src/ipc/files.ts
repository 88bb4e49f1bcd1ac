// Every way a person hands Folio files (dropping them on the window, the native
// picker) ends in `deliverPaths`, the one place that decides what happens next.
import { open } from '@tauri-apps/plugin-dialog';
import { getCurrentWebview } from '@tauri-apps/api/webview';

export type PathsListener = (paths: string[]) => void;
export type HoverListener = (hovering: boolean) => void;

const pathListeners = new Set<PathsListener>();
const hoverListeners = new Set<HoverListener>();

/** Subscribes to chosen files; returns the unsubscribe function. */
export function onPathsDelivered(listener: PathsListener): () => void {
  pathListeners.add(listener);
  return () => pathListeners.delete(listener);
}

/** Subscribes to "files are being dragged over the window". */
export function onDragHover(listener: HoverListener): () => void {
  hoverListeners.add(listener);
  return () => hoverListeners.delete(listener);
}

/** The one handler for chosen paths: drops and the picker both end here. */
export function deliverPaths(paths: readonly string[]): void {
  const unique = [...new Set(paths.filter((p) => p.trim() !== ''))];
  if (unique.length === 0) return;
  for (const listener of pathListeners) listener(unique);
}

function setHover(hovering: boolean) {
  for (const listener of hoverListeners) listener(hovering);
}

/** Opens the native multi-file picker and delivers what the person chose. */
export async function pickFiles(): Promise<void> {
  const picked = await open({ multiple: true, directory: false, title: 'Choose documents for Folio' });
  if (picked === null) return;
  deliverPaths(Array.isArray(picked) ? picked : [picked]);
}

/** Listens for files dropped anywhere on the window (Tauri gives real paths). */
export async function listenForDrops(): Promise<() => void> {
  return getCurrentWebview().onDragDropEvent((event) => {
    const payload = event.payload;
    if (payload.type === 'enter' || payload.type === 'over') setHover(true);
    else if (payload.type === 'leave') setHover(false);
    else if (payload.type === 'drop') {
      setHover(false);
      deliverPaths(payload.paths);
    }
  });
}

/** The file name of a path, whichever OS wrote it. */
export function fileName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}
