// The protection of short values (ID numbers, phones, names), byte-identical to Node's
// createHmac('sha256') and createCipheriv('aes-256-gcm') but without their per-call cost.
//
// A file of a million rows naming a million persons spends most of its load on three
// native calls per row (an HMAC for the person key, an HMAC for the nonce, an AES-GCM
// encryption), each dominated by creating a native object, not by the arithmetic. Here:
// - HMAC-SHA256 of a message of at most 55 bytes is two SHA-256 compressions from states
//   precomputed once per key (the key XOR ipad / opad blocks), in plain 32-bit arithmetic;
// - AES-256-GCM keeps one AES-256-ECB context for the key: one call encrypts the counter
//   blocks (J0 for the tag, J0+1… for the keystream), and GHASH runs here (8-bit tables, 4 KB a key).
// Longer values return null and the caller takes Node's own path; the unit test checks
// every output against Node's on random inputs of every length.
import * as crypto from 'node:crypto';

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

/** One SHA-256 compression of w[0..15] into st (w is overwritten with the schedule). */
function compress(st: Int32Array, w: Int32Array): void {
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15];
    const y = w[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0;
    d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  st[0] = (st[0] + a) | 0; st[1] = (st[1] + b) | 0; st[2] = (st[2] + c) | 0; st[3] = (st[3] + d) | 0;
  st[4] = (st[4] + e) | 0; st[5] = (st[5] + f) | 0; st[6] = (st[6] + g) | 0; st[7] = (st[7] + h) | 0;
}

/** The largest message (bytes) the one-block paths take: 64 − 1 (0x80) − 8 (length). */
export const SHORT_MAX = 55;

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(x: number): string {
  return HEX[x >>> 24] + HEX[(x >>> 16) & 255] + HEX[(x >>> 8) & 255] + HEX[x & 255];
}

/** HMAC-SHA256 under one key, of messages of at most SHORT_MAX bytes. */
export class ShortHmac {
  private readonly inner = new Int32Array(8);
  private readonly outer = new Int32Array(8);
  private readonly w = new Int32Array(64);
  /** The last digest, as 8 big-endian words. */
  readonly out = new Int32Array(8);

  constructor(key: Buffer) {
    if (key.length > 64) throw new Error('ShortHmac: keys longer than a block are not supported');
    for (const [state, pad] of [[this.inner, 0x36], [this.outer, 0x5c]] as const) {
      const block = Buffer.alloc(64, pad);
      for (let i = 0; i < key.length; i++) block[i] = key[i] ^ pad;
      state.set(H0);
      for (let i = 0; i < 16; i++) this.w[i] = block.readInt32BE(i * 4);
      compress(state, this.w);
    }
  }

  /** HMAC of msg[0..n), n ≤ SHORT_MAX, into this.out. */
  digest(msg: Uint8Array, n: number): Int32Array {
    const w = this.w;
    w.fill(0, 0, 16);
    for (let i = 0; i < n; i++) w[i >> 2] |= msg[i] << (24 - ((i & 3) << 3));
    w[n >> 2] |= 0x80 << (24 - ((n & 3) << 3));
    w[15] = (64 + n) * 8;
    const out = this.out;
    out.set(this.inner);
    compress(out, w);
    for (let i = 0; i < 8; i++) w[i] = out[i];
    w[8] = 0x80000000;
    w.fill(0, 9, 15);
    w[15] = (64 + 32) * 8;
    out.set(this.outer);
    compress(out, w);
    return out;
  }
}

// GHASH reduction of the 8 bits a multiplication by x^8 shifts out (the low byte of z, its top bit the
// coefficient of x^120): x^(128+j) = x^j·(1 + x + x^2 + x^7), landing in the top 16 bits of z's first word.
const RED8 = new Int32Array(256);
for (let b = 0; b < 256; b++) {
  let r = 0;
  for (let j = 0; j < 8; j++) if (b & (0x80 >> j)) r ^= (1 << (31 - j)) ^ (1 << (30 - j)) ^ (1 << (29 - j)) ^ (1 << (24 - j));
  RED8[b] = r;
}

/** AES-256-GCM with a 12-byte IV and no additional data, of messages of at most SHORT_MAX bytes. */
export class ShortGcm {
  private readonly ecb: ReturnType<typeof crypto.createCipheriv>;
  /** The 256 multiples of H by a byte's polynomial (its top bit the coefficient of x^0), 4 words each. */
  private readonly table = new Int32Array(256 * 4);
  private readonly blocks = Buffer.alloc(16 * 5);
  private readonly y = new Int32Array(4);

  constructor(key: Buffer) {
    this.ecb = crypto.createCipheriv('aes-256-ecb', key, null);
    this.ecb.setAutoPadding(false);
    const h = this.ecb.update(Buffer.alloc(16));
    // H·x^i for i = 0..7 (a multiplication by x is a shift right by one bit, reduced by 0xE1 on top).
    const p = new Int32Array(8 * 4);
    for (let j = 0; j < 4; j++) p[j] = h.readInt32BE(j * 4);
    for (let i = 1; i < 8; i++) {
      const w0 = p[i * 4 - 4]!, w1 = p[i * 4 - 3]!, w2 = p[i * 4 - 2]!, w3 = p[i * 4 - 1]!;
      p[i * 4] = (w0 >>> 1) ^ ((w3 & 1) !== 0 ? 0xe1000000 | 0 : 0);
      p[i * 4 + 1] = (w1 >>> 1) | (w0 << 31);
      p[i * 4 + 2] = (w2 >>> 1) | (w1 << 31);
      p[i * 4 + 3] = (w3 >>> 1) | (w2 << 31);
    }
    const t = this.table;
    for (let b = 0; b < 256; b++) {
      for (let i = 0; i < 8; i++) if (b & (0x80 >> i)) for (let j = 0; j < 4; j++) t[b * 4 + j] ^= p[i * 4 + j]!;
    }
  }

  /** y ← y · H: Horner over the block's bytes from the last, a byte (8-bit table) a step. */
  private mul(): void {
    const y = this.y, t = this.table;
    let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
    for (let k = 3; k >= 0; k--) {
      let word = y[k]!;
      for (let j = 0; j < 4; j++) {
        const low = z3 & 0xff;
        z3 = (z3 >>> 8) | (z2 << 24);
        z2 = (z2 >>> 8) | (z1 << 24);
        z1 = (z1 >>> 8) | (z0 << 24);
        z0 = (z0 >>> 8) ^ RED8[low]!;
        const q = (word & 0xff) * 4;
        z0 ^= t[q]!; z1 ^= t[q + 1]!; z2 ^= t[q + 2]!; z3 ^= t[q + 3]!;
        word >>>= 8;
      }
    }
    y[0] = z0; y[1] = z1; y[2] = z2; y[3] = z3;
  }

  /** The counter blocks J0, J0+1, … of an n-byte message under iv[io..io+12), into b at off; their byte length. */
  static counters(iv: Uint8Array, io: number, n: number, b: Buffer, off: number): number {
    const nb = (n + 15) >> 4;
    for (let k = 0; k <= nb; k++) {
      const o = off + k * 16;
      for (let i = 0; i < 12; i++) b[o + i] = iv[io + i];
      b.writeUInt32BE(k + 1, o + 12);
    }
    return (nb + 1) * 16;
  }

  /** The keystream of counter blocks (one AES-256-ECB call for any number of them). */
  keystream(blocks: Buffer): Buffer {
    return this.ecb.update(blocks);
  }

  /**
   * iv ‖ tag ‖ ciphertext of msg[mo..mo+n) into out (≥ 28 + n bytes), from the keystream of its
   * counter blocks at ks[ko..]: as Node's createCipheriv('aes-256-gcm', key, iv) with getAuthTag()
   * of 16 bytes gives them.
   */
  finish(iv: Uint8Array, io: number, msg: Uint8Array, mo: number, n: number, ks: Buffer, ko: number, out: Buffer): void {
    const nb = (n + 15) >> 4;
    for (let i = 0; i < 12; i++) out[i] = iv[io + i];
    for (let i = 0; i < n; i++) out[28 + i] = msg[mo + i] ^ ks[ko + 16 + i];
    const y = this.y;
    y.fill(0);
    for (let k = 0; k < nb; k++) {
      const o = 28 + k * 16;
      for (let j = 0; j < 4; j++) {
        let v = 0;
        for (let m = 0; m < 4; m++) {
          const i = k * 16 + j * 4 + m;
          v = (v << 8) | (i < n ? out[o + j * 4 + m] : 0);
        }
        y[j] ^= v;
      }
      this.mul();
    }
    y[3] ^= n * 8;
    this.mul();
    for (let j = 0; j < 4; j++) {
      const v = y[j];
      for (let m = 0; m < 4; m++) out[12 + j * 4 + m] = ((v >>> (24 - m * 8)) & 255) ^ ks[ko + j * 4 + m];
    }
  }

  /** iv ‖ tag ‖ ciphertext of msg[0..n) (n ≤ SHORT_MAX) into out (≥ 28 + n bytes). */
  seal(iv: Uint8Array, msg: Uint8Array, n: number, out: Buffer): void {
    const len = ShortGcm.counters(iv, 0, n, this.blocks, 0);
    this.finish(iv, 0, msg, 0, n, this.ecb.update(this.blocks.subarray(0, len)), 0, out);
  }
}

/**
 * The two operations the codec repeats per row, for values that fit one block; null means
 * "too long here, use Node's path".
 */
export class ShortPii {
  private readonly mac: ShortHmac;
  private readonly ivMac: ShortHmac;
  private readonly gcm: ShortGcm;
  private readonly msg = new Uint8Array(SHORT_MAX);
  private readonly iv = new Uint8Array(12);
  private readonly sealed = Buffer.alloc(28 + SHORT_MAX);
  private readonly encoder = new TextEncoder();

  constructor(keys: { mac: Buffer; enc: Buffer; iv: Buffer }) {
    this.mac = new ShortHmac(keys.mac);
    this.ivMac = new ShortHmac(keys.iv);
    this.gcm = new ShortGcm(keys.enc);
  }

  /** UTF-8 of s into this.msg; its length, or −1 when it does not fit. */
  private load(s: string): number {
    const len = s.length;
    if (len > SHORT_MAX) return -1;
    const m = this.msg;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        const r = this.encoder.encodeInto(s, m);
        return r.read === len ? r.written : -1;
      }
      m[i] = c;
    }
    return len;
  }

  /** The person key (UUID-shaped hex of HMAC(mac, s)), or null when s is too long. */
  personKey(s: string): string | null {
    const n = this.load(s);
    if (n < 0) return null;
    const h = this.mac.digest(this.msg, n);
    const w1 = h[1], w2 = h[2];
    return `${hex32(h[0])}-${HEX[w1 >>> 24]}${HEX[(w1 >>> 16) & 255]}-${HEX[(w1 >>> 8) & 255]}${HEX[w1 & 255]}-${
      HEX[w2 >>> 24]}${HEX[(w2 >>> 16) & 255]}-${HEX[(w2 >>> 8) & 255]}${HEX[w2 & 255]}${hex32(h[3])}`;
  }

  /** The deterministic IV of msg[0..n) (HMAC(iv, s)[0..12]) into iv[io..io+12). */
  private ivOf(n: number, iv: Uint8Array, io: number): void {
    const h = this.ivMac.digest(this.msg, n);
    for (let j = 0; j < 3; j++) {
      const v = h[j], o = io + j * 4;
      iv[o] = v >>> 24; iv[o + 1] = (v >>> 16) & 255; iv[o + 2] = (v >>> 8) & 255; iv[o + 3] = v & 255;
    }
  }

  /** base64(iv ‖ tag ‖ AES-256-GCM(s)) with iv = HMAC(iv, s)[0..12], or null when s is too long. */
  encrypt(s: string): string | null {
    const n = this.load(s);
    if (n < 0) return null;
    this.ivOf(n, this.iv, 0);
    this.gcm.seal(this.iv, this.msg, n, this.sealed);
    return this.sealed.toString('base64', 0, 28 + n);
  }

  private many = { msgs: new Uint8Array(0), ivs: new Uint8Array(0), ctr: Buffer.alloc(0), lens: new Int32Array(0), ko: new Int32Array(0) };

  /**
   * encrypt() of many values with one AES call for all their counter blocks (the call, not the
   * arithmetic, is what costs); null where a value is too long.
   */
  encryptMany(values: readonly string[]): (string | null)[] {
    const count = values.length;
    let m = this.many;
    if (m.lens.length < count) {
      const c = Math.max(count, 2 * m.lens.length);
      m = this.many = {
        msgs: new Uint8Array(c * SHORT_MAX), ivs: new Uint8Array(c * 12), ctr: Buffer.alloc(c * 16 * (2 + (SHORT_MAX >> 4))),
        lens: new Int32Array(c), ko: new Int32Array(c),
      };
    }
    let ctrLen = 0;
    for (let i = 0; i < count; i++) {
      const n = this.load(values[i]!);
      m.lens[i] = n;
      if (n < 0) continue;
      const mo = i * SHORT_MAX, msg = this.msg, msgs = m.msgs;
      for (let j = 0; j < n; j++) msgs[mo + j] = msg[j];
      this.ivOf(n, m.ivs, i * 12);
      m.ko[i] = ctrLen;
      ctrLen += ShortGcm.counters(m.ivs, i * 12, n, m.ctr, ctrLen);
    }
    const ks = ctrLen > 0 ? this.gcm.keystream(m.ctr.subarray(0, ctrLen)) : Buffer.alloc(0);
    const out = new Array<string | null>(count);
    for (let i = 0; i < count; i++) {
      const n = m.lens[i]!;
      if (n < 0) {
        out[i] = null;
        continue;
      }
      this.gcm.finish(m.ivs, i * 12, m.msgs, i * SHORT_MAX, n, ks, m.ko[i]!, this.sealed);
      out[i] = this.sealed.toString('base64', 0, 28 + n);
    }
    return out;
  }
}
