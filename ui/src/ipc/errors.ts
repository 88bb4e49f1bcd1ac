// Errors from Rust arrive as {kind, message}. The UI decides what to tell the person
// by `kind`; `message` adds the specifics (which file, what the server said).
import type { ErrorKind, ErrorPayload } from './bindings';

export class FolioError extends Error {
  readonly kind: ErrorKind;

  constructor(kind: ErrorKind, message: string) {
    super(message);
    this.kind = kind;
    this.name = 'FolioError';
  }

  /** Anything a command rejected with, as a FolioError. */
  static from(raw: unknown): FolioError {
    if (raw instanceof FolioError) return raw;
    if (isPayload(raw)) return new FolioError(raw.kind, raw.message);
    const text = raw instanceof Error ? raw.message : String(raw);
    return new FolioError('internal', text);
  }
}

function isPayload(raw: unknown): raw is ErrorPayload {
  return typeof raw === 'object' && raw !== null && 'kind' in raw && 'message' in raw;
}

const NEXT_STEP: Record<ErrorKind, string> = {
  auth: 'Check the API token in Settings.',
  not_found: 'It may have been deleted elsewhere.',
  invalid_input: 'Please check what you entered.',
  limit_exceeded: 'Try fewer or smaller files.',
  rate_limited: 'The service is busy; Folio will try again shortly.',
  unavailable: 'Please try again later.',
  timeout: 'The service took too long to answer; try again.',
  unsupported: 'This service cannot do that.',
  cancelled: 'Stopped.',
  internal: 'Something went wrong inside Folio.',
};

/** One sentence for a person: what happened, then what to do about it. */
export function describe(error: FolioError): string {
  const detail = error.message.trim();
  const next = NEXT_STEP[error.kind];
  return detail ? `${detail.replace(/\.?$/, '.')} ${next}` : next;
}
