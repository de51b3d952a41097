/**
 * A small seeded pseudo-random generator (mulberry32): the same seed gives the same fault decisions,
 * latencies and demo accounts, so tests can count on them.
 *
 * ```ts
 * const rng = createRng(42);
 * rng.next() // 0 <= x < 1, the same sequence for seed 42 every time
 * ```
 */
export interface Rng {
  /** Next number in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n) => Math.floor(next() * n) };
}
