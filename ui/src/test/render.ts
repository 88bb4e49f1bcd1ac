// Mounting components in jsdom for Vitest, and a fake backend behind Tauri's IPC mock.
import { flushSync, mount, unmount, type Component } from 'svelte';
import { mockIPC } from '@tauri-apps/api/mocks';
import type { Conversation, Document } from '../ipc';

/** Mounts into a new element inside `parent` (the body unless a test needs, say, a scroller). */
export function render<P extends Record<string, unknown>>(component: Component<P>, props: P, parent = document.body) {
  const target = document.createElement('div');
  parent.append(target);
  const instance = mount(component, { target, props });
  flushSync();
  return {
    target,
    instance,
    destroy() {
      unmount(instance);
      target.remove();
    },
  };
}

/** Lets promises settle and Svelte apply what they changed. */
export async function settle(times = 3) {
  for (let i = 0; i < times; i++) {
    await new Promise((r) => setTimeout(r, 0));
    flushSync();
  }
}

export const byTestId = (root: ParentNode, id: string) => [
  ...root.querySelectorAll<HTMLElement>(`[data-testid="${id}"]`),
];

export type Handler = (args: Record<string, unknown>) => unknown;

/** Answers commands from `handlers`; anything else is an error the test sees. */
export function backend(handlers: Record<string, Handler>) {
  const calls: string[] = [];
  mockIPC((cmd, args) => {
    calls.push(cmd);
    const handler = handlers[cmd];
    if (!handler) throw { kind: 'internal', message: `unexpected ${cmd}` };
    return handler(args as Record<string, unknown>);
  });
  return calls;
}

export const doc = (
  id: number,
  name: string,
  stage: Document['stage'],
  failureReason: string | null = null,
): Document => ({
  id,
  name,
  state: stage === 'ready' ? 'processed' : stage === 'failed' ? 'failed' : 'processing',
  stage,
  progress: null,
  failureReason,
  uploadedAt: null,
});

export const conversation = (documents: Document[], id = 'c1'): Conversation => ({
  id,
  name: 'Report',
  description: null,
  state: 'running',
  documents,
  createdAt: null,
  updatedAt: null,
});
