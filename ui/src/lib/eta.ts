// "About 2 minutes left" from how fast pages have gone so far: only once there is a
// few seconds' worth of pages to judge by, and in words a person reads at a glance.

export interface Sample {
  at: number;
  done: number;
}

export function timeLeft(start: Sample | null, now: number, done: number, total: number | null): string | null {
  if (!start || !total || now - start.at < 3000 || done <= start.done || done >= total) return null;
  const perMs = (done - start.done) / (now - start.at);
  const ms = (total - done) / perMs;
  if (ms < 15_000) return 'a few seconds left';
  if (ms < 60_000) return `about ${Math.round(ms / 10_000) * 10} seconds left`;
  if (ms < 90 * 60_000) {
    const minutes = Math.round(ms / 60_000);
    return `about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} left`;
  }
  return `about ${Math.round(ms / 3_600_000)} hours left`;
}
