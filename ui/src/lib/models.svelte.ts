// The built-in models and their downloads, shared by Settings' model manager and the
// chat's one-click offer, so a download started in one shows its progress in both.
import {
  deleteModel,
  describe,
  downloadModel,
  FolioError,
  listModels,
  pauseModelDownload,
  useModel,
  type DownloadProgress,
  type ModelInfo,
} from '../ipc';

class Models {
  list = $state<ModelInfo[]>([]);
  progress = $state<Record<string, DownloadProgress>>({});
  error = $state('');
  loaded = $state(false);

  async refresh() {
    try {
      this.list = await listModels();
      this.error = '';
    } catch (raw) {
      this.error = describe(FolioError.from(raw));
    } finally {
      this.loaded = true;
    }
  }

  get recommended(): ModelInfo | undefined {
    return this.list.find((m) => m.recommended);
  }

  get anyInstalled(): boolean {
    return this.list.some((m) => m.installed);
  }

  isDownloading(id: string): boolean {
    return id in this.progress;
  }

  async download(id: string) {
    this.error = '';
    this.progress[id] = { modelId: id, stage: 'connecting', doneBytes: 0, totalBytes: null };
    try {
      await downloadModel(id, (p) => (this.progress[id] = p));
    } catch (raw) {
      const error = FolioError.from(raw);
      if (error.kind !== 'cancelled') this.error = describe(error);
    } finally {
      delete this.progress[id];
      await this.refresh();
    }
  }

  async pause(id: string) {
    await pauseModelDownload(id);
  }

  async use(id: string) {
    await this.guard(() => useModel(id));
  }

  async remove(id: string) {
    await this.guard(() => deleteModel(id));
  }

  private async guard(work: () => Promise<unknown>) {
    try {
      await work();
    } catch (raw) {
      this.error = describe(FolioError.from(raw));
    }
    await this.refresh();
  }
}

export const models = new Models();

export const megabytes = (bytes: number) => `${Math.round(bytes / 1_000_000).toLocaleString()} MB`;
