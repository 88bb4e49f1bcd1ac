import { Channel } from '@tauri-apps/api/core';
import type { DownloadProgress, InstalledModel, ModelInfo } from './models-bindings';
import { call } from './invoke';

export type { DownloadProgress, InstalledModel, ModelInfo } from './models-bindings';

/** The built-in models Folio offers, with their state on this computer. */
export const listModels = () => call<ModelInfo[]>('list_models');

/** Downloads (or resumes) a model; progress arrives as it goes. */
export function downloadModel(id: string, onProgress: (progress: DownloadProgress) => void): Promise<InstalledModel> {
  const channel = new Channel<DownloadProgress>();
  channel.onmessage = onProgress;
  return call<InstalledModel>('download_model', { id, onProgress: channel });
}

/** Pauses a download; downloading again resumes it. */
export const pauseModelDownload = (id: string) => call<void>('pause_model_download', { id });

export const deleteModel = (id: string) => call<void>('delete_model', { id });

/** Chooses which installed model writes answers. */
export const useModel = (id: string) => call<InstalledModel>('use_model', { id });
