// The single call site of Tauri's invoke: every command goes through here so errors
// always come back as FolioError.
import { invoke } from '@tauri-apps/api/core';
import { FolioError } from './errors';

export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw FolioError.from(raw);
  }
}
