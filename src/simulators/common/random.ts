// Seedable randomness for the simulator. Tests pass `seed` so that fault injection (which request
// gets a 503) and generated ids repeat from run to run; without a seed we draw one from crypto.
import { randomInt } from 'node:crypto';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  /** RFC 4122 version-4 shaped UUID built from this stream (not cryptographic; ids only). */
  uuid(): string;
  /** `n` lowercase hex characters. */
  hex(n: number): string;
}

/** mulberry32: tiny, fast, and good enough for picking faults and making ids. */
export function createRandom(seed: number = randomInt(0, 2 ** 31)): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += int(0, 15).toString(16);
    return s;
  };
  const uuid = (): string => {
    const variant = (8 + int(0, 3)).toString(16);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  };
  return { next, int, uuid, hex };
}
