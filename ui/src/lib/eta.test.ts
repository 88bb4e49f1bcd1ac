import { describe, expect, it } from 'vitest';
import { timeLeft } from './eta';

describe('timeLeft', () => {
  it('says nothing until a few seconds of pages have gone by', () => {
    expect(timeLeft(null, 10_000, 5, 100)).toBeNull();
    expect(timeLeft({ at: 0, done: 0 }, 2_000, 5, 100)).toBeNull();
    expect(timeLeft({ at: 0, done: 5 }, 9_000, 5, 100)).toBeNull();
  });

  it('rounds what is left into words', () => {
    // 10 pages in 10 s, 90 to go: 90 s.
    expect(timeLeft({ at: 0, done: 0 }, 10_000, 10, 100)).toBe('about 2 minutes left');
    expect(timeLeft({ at: 0, done: 0 }, 10_000, 10, 40)).toBe('about 30 seconds left');
    expect(timeLeft({ at: 0, done: 0 }, 10_000, 10, 12)).toBe('a few seconds left');
    expect(timeLeft({ at: 0, done: 0 }, 10_000, 10, 10)).toBeNull();
  });
});
