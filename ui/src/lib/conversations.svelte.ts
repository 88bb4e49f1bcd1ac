// The conversations the window shows, and the one that is open. Components read this
// state and call its methods; it talks to Rust only through ../ipc.
import {
  addDocuments,
  cancelDocuments,
  createConversation,
  deleteConversation,
  deleteDocuments,
  describe,
  exportConversation,
  followConversation,
  FolioError,
  getConversation,
  listConversations,
  retryDocuments,
  updateConversation,
  type Conversation,
  type ConversationSummary,
  type DocumentProgress,
  type UploadFailure,
} from '../ipc';

/** How long a confirmation stays: long enough to read a file path twice. */
export const NOTICE_MS = 8000;

export class Conversations {
  list = $state<ConversationSummary[]>([]);
  current = $state<Conversation | null>(null);
  /** Files a backend refused outright, with its reasons. */
  refused = $state<UploadFailure[]>([]);
  error = $state('');
  /** A short confirmation ("Saved to …"), shown for `NOTICE_MS` (see `say`). */
  notice = $state('');
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  busy = $state(false);
  /** Per conversation: the unsent question, and which documents the next one is about
   *  (the ones just dropped; empty means all). Kept while the person switches away. */
  // Read once when a chat pane is built, never rendered from: no reactivity wanted.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private drafts = new Map<string, string>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  private scopes = new Map<string, number[]>();

  draftFor(id: string): string {
    return this.drafts.get(id) ?? '';
  }

  setDraft(id: string, text: string) {
    this.drafts.set(id, text);
  }

  scopeFor(id: string): number[] {
    return this.scopes.get(id) ?? [];
  }

  setScope(id: string, documentIds: number[]) {
    this.scopes.set(id, documentIds);
  }

  /** The sidebar's order: by last use or by creation, newest first. */
  sort = $state<'updated' | 'created'>('updated');

  private query() {
    return {
      sortKey: this.sort === 'created' ? ('createdAt' as const) : ('updatedAt' as const),
      ascending: false,
      search: null,
    };
  }

  async refresh() {
    await this.guard(async () => {
      this.list = await listConversations(this.query());
    });
  }

  async open(id: string) {
    await this.guard(async () => {
      this.current = await getConversation(id);
      this.refused = [];
      this.say('');
    });
    if (this.current?.id === id) this.follow(id);
  }

  close() {
    this.current = null;
    this.refused = [];
    this.say('');
  }

  /** A confirmation belongs to the moment and the conversation it was about: it goes
   *  after a few seconds, and at once when another conversation opens or the person
   *  leaves (Settings, another backend), so "Saved to …" never outlives its export. */
  private say(text: string) {
    clearTimeout(this.noticeTimer);
    this.notice = text;
    if (text) this.noticeTimer = setTimeout(() => (this.notice = ''), NOTICE_MS);
  }

  /** Files handed over: they start a conversation, or join the open one. */
  async receive(paths: string[]) {
    await this.guard(async () => {
      this.busy = true;
      let id: string;
      // A local snapshot inside one call, not state.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity
      const before = new Set(this.current?.documents.map((d) => d.id) ?? []);
      if (this.current) {
        id = this.current.id;
        this.refused = (await addDocuments(id, paths)).failed;
      } else {
        const created = await createConversation(paths);
        id = created.id;
        this.refused = created.upload.failed;
        this.list = await listConversations(this.query());
      }
      this.current = await getConversation(id);
      // The next question is about what was just dropped (all of it, for a new conversation).
      const added = this.current.documents.filter((d) => !before.has(d.id)).map((d) => d.id);
      this.setScope(id, before.size === 0 ? [] : added);
      this.follow(id);
    });
    this.busy = false;
  }

  async rename(name: string, description = this.current?.description ?? '') {
    const current = this.current;
    if (!current || !name.trim()) return;
    await this.guard(async () => {
      await updateConversation(current.id, { name: name.trim(), description: description.trim() });
      this.current = { ...current, name: name.trim(), description: description.trim() || null };
      this.list = await listConversations(this.query());
    });
  }

  /** Saves the open conversation's questions and answers as a Markdown file the person picks. */
  async exportMarkdown() {
    const current = this.current;
    if (!current) return;
    await this.guard(async () => {
      const saved = await exportConversation(current.id);
      this.say(saved ? `Saved to ${saved}` : '');
    });
  }

  /** Stops, reprocesses or removes one document of the open conversation. */
  async documentAction(action: 'cancel' | 'retry' | 'remove', documentId: number) {
    const current = this.current;
    if (!current) return;
    await this.guard(async () => {
      if (action === 'cancel') await cancelDocuments(current.id, [documentId]);
      if (action === 'retry') await retryDocuments(current.id, [documentId]);
      if (action === 'remove') await deleteDocuments(current.id, [documentId]);
      if (this.current?.id !== current.id) return;
      this.current = await getConversation(current.id);
      this.setScope(
        current.id,
        this.scopeFor(current.id).filter((d) => d !== documentId || action !== 'remove'),
      );
      if (action === 'retry') this.follow(current.id);
    });
  }

  async remove(id: string) {
    await this.guard(async () => {
      await deleteConversation(id);
      if (this.current?.id === id) this.close();
      this.list = await listConversations(this.query());
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
