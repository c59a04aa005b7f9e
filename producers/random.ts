/**
 * Seeded randomness that is cheap enough to call per vote.
 *
 * Faker is used for names and places; everything drawn once per voter or per
 * vote goes through these functions instead, because a faker call costs about
 * a microsecond and seeding a faker instance about 25.
 */

/** 32-bit finaliser (murmur3 fmix32): spreads every input bit over the output. */
export function mix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Hash of a number and a 32-bit key: a counter-based random word. */
export function hash32(value: number, key: number): number {
  return mix32((Math.imul(value >>> 0, 0x9e3779b1) ^ key) + Math.imul(key, 0x7feb352d));
}

/**
 * A bijection on 32-bit integers keyed by `key`: distinct inputs give distinct
 * outputs, which is what makes generated ids unique without a lookup.
 * Each step (xor with a constant, multiply by an odd number, xor-shift) is invertible.
 */
export function permute32(value: number, key: number): number {
  let x = (value ^ key) >>> 0;
  x = Math.imul(x, 0x2c1b3c6d);
  x ^= x >>> 12;
  x = Math.imul(x, 0x297a2d39);
  x ^= x >>> 15;
  x = (x + Math.imul(key, 0x9e3779b1)) | 0;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  return x >>> 0;
}

/** A 32-bit seed for one purpose (`label`) of one election seed, so that purposes draw independent streams. */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ mix32(seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  }
  return mix32(h);
}

/** sfc32: small, fast, good statistical quality, fully determined by its seed. */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spareNormal: number | null = null;

  constructor(seed: number, stream = 0) {
    this.a = hash32(stream, seed ^ 0x9e3779b9);
    this.b = hash32(stream, seed ^ 0x243f6a88);
    this.c = hash32(stream, seed ^ 0xb7e15162);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Uniform integer in [min, max]. */
  between(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Standard normal (Box-Muller, caching the second value). */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

/** Running sums of `weights`, normalised so that the last is exactly 1. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] ?? 0;
    if (!(w >= 0)) throw new Error(`weight ${i} is ${w}, not a non-negative number`);
    sum += w;
    out[i] = sum;
  }
  if (sum <= 0) throw new Error('weights sum to zero');
  for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) / sum;
  out[out.length - 1] = 1;
  return out;
}

/**
 * Index of the first cumulative value above `u` in `table[offset, offset+length)`,
 * relative to `offset`. Tables are short (a handful of categories), so a linear scan wins.
 */
export function pickCumulative(table: Float64Array, u: number, offset = 0, length = table.length - offset): number {
  const last = length - 1;
  for (let i = 0; i < last; i++) {
    if (u < (table[offset + i] ?? 1)) return i;
  }
  return last;
}

/** Binary-search variant of pickCumulative for long tables (minutes of a day, constituencies). */
export function searchCumulative(table: Float64Array, u: number, offset = 0, length = table.length - offset): number {
  let lo = 0;
  let hi = length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < (table[offset + mid] ?? 1)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
