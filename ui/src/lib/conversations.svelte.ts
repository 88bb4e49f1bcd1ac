// The conversations the window shows, and the one that is open. Components read this
// state and call its methods; it talks to Rust only through ../ipc.
import {
  addDocuments,
  createConversation,
  deleteConversation,
  describe,
  followConversation,
  FolioError,
  getConversation,
  listConversations,
  updateConversation,
  type Conversation,
  type ConversationSummary,
  type DocumentProgress,
  type UploadFailure,
} from '../ipc';

export class Conversations {
  list = $state<ConversationSummary[]>([]);
  current = $state<Conversation | null>(null);
  /** Files a backend refused outright, with its reasons. */
  refused = $state<UploadFailure[]>([]);
  error = $state('');
  busy = $state(false);

  async refresh() {
    await this.guard(async () => {
      this.list = await listConversations();
    });
  }

  async open(id: string) {
    await this.guard(async () => {
      this.current = await getConversation(id);
      this.refused = [];
    });
    if (this.current?.id === id) this.follow(id);
  }

  close() {
    this.current = null;
    this.refused = [];
  }

  /** Files handed over: they start a conversation, or join the open one. */
  async receive(paths: string[]) {
    await this.guard(async () => {
      this.busy = true;
      let id: string;
      if (this.current) {
        id = this.current.id;
        this.refused = (await addDocuments(id, paths)).failed;
      } else {
        const created = await createConversation(paths);
        id = created.id;
        this.refused = created.upload.failed;
        this.list = await listConversations();
      }
      this.current = await getConversation(id);
      this.follow(id);
    });
    this.busy = false;
  }

  async rename(name: string) {
    const current = this.current;
    if (!current || !name.trim()) return;
    await this.guard(async () => {
      await updateConversation(current.id, { name: name.trim(), description: null });
      this.current = { ...current, name: name.trim() };
      this.list = await listConversations();
    });
  }

  async remove(id: string) {
    await this.guard(async () => {
      await deleteConversation(id);
      if (this.current?.id === id) this.close();
      this.list = await listConversations();
    });
  }

  /** Applies pushed progress to the open conversation until its documents settle. */
  private follow(id: string) {
    followConversation(id, (p) => this.apply(p))
      .then((settled) => {
        if (this.current?.id === id) this.current = settled;
      })
      .catch((raw) => {
        if (this.current?.id === id) this.error = describe(FolioError.from(raw));
      });
  }

  apply(progress: DocumentProgress) {
    const current = this.current;
    if (!current || current.id !== progress.conversationId) return;
    const documents = current.documents.map((d) =>
      d.id === progress.documentId
        ? { ...d, stage: progress.stage, progress: progress.progress, failureReason: progress.failureReason }
        : d,
    );
    if (!documents.some((d) => d.id === progress.documentId)) {
      documents.push({
        id: progress.documentId,
        name: progress.name,
        state: 'processing',
        stage: progress.stage,
        progress: progress.progress,
        failureReason: progress.failureReason,
        uploadedAt: null,
      });
    }
    this.current = { ...current, documents };
  }

  private async guard(work: () => Promise<void>) {
    this.error = '';
    try {
      await work();
    } catch (raw) {
      this.error = describe(FolioError.from(raw));
    }
  }
}
