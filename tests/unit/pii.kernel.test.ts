import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nodeEncrypt, nodeKey } from '../helpers/pii-node';
import { SHORT_MAX, ShortGcm, ShortHmac, ShortPii } from '../../backend/src/security/pii.kernel';
import { PiiCodec, piiKeysFromText } from '../../backend/src/security/pii';

// The expectations are Node's own HMAC and AES-GCM, called directly (tests/helpers/pii-node.ts): the
// kernel must give the same bytes, or stored data (person keys, ciphertexts) would stop matching across loads.

// A small deterministic generator, so a failure names an input that can be replayed.
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}
const ALPHABETS = ['0123456789X', 'abcdefghijklmnopqrstuvwxyz ,;\t"', '张王李赵刘陈杨黄欧阳吉林长春梅河口', '\u00e9\u00fc\u0101', '😀𠀀'];
function randomString(r: () => number, len: number): string {
  const alpha = ALPHABETS[Math.floor(r() * ALPHABETS.length)];
  const chars = [...alpha];
  let s = '';
  while (s.length < len) s += chars[Math.floor(r() * chars.length)];
  return s;
}

describe('short-value protection kernel', () => {
  const keys = { mac: crypto.randomBytes(32), enc: crypto.randomBytes(32), iv: crypto.randomBytes(32) };

  it('HMAC-SHA256 equals Node\u2019s for every length a block holds, under several keys', () => {
    for (const key of [keys.mac, crypto.randomBytes(32), Buffer.alloc(32), crypto.randomBytes(17), crypto.randomBytes(64)]) {
      const mac = new ShortHmac(key);
      for (let n = 0; n <= SHORT_MAX; n++) {
        const msg = crypto.randomBytes(n);
        const out = mac.digest(msg, n);
        const got = Buffer.alloc(32);
        for (let i = 0; i < 8; i++) got.writeInt32BE(out[i], i * 4);
        expect(got.toString('hex'), `length ${n}`).toBe(crypto.createHmac('sha256', key).update(msg).digest('hex'));
      }
    }
  });

  it('AES-256-GCM equals Node\u2019s (iv, tag and ciphertext) for every length, and Node decrypts it', () => {
    const gcm = new ShortGcm(keys.enc);
    const out = Buffer.alloc(28 + SHORT_MAX);
    for (let rep = 0; rep < 20; rep++) {
      for (let n = 0; n <= SHORT_MAX; n++) {
        const iv = crypto.randomBytes(12);
        const msg = crypto.randomBytes(n);
        gcm.seal(iv, msg, n, out);
        const c = crypto.createCipheriv('aes-256-gcm', keys.enc, iv);
        const ct = Buffer.concat([c.update(msg), c.final()]);
        const want = Buffer.concat([iv, c.getAuthTag(), ct]);
        expect(out.subarray(0, 28 + n).toString('hex'), `length ${n}`).toBe(want.toString('hex'));
        const d = crypto.createDecipheriv('aes-256-gcm', keys.enc, iv);
        d.setAuthTag(out.subarray(12, 28));
        expect(Buffer.concat([d.update(out.subarray(28, 28 + n)), d.final()]).equals(msg)).toBe(true);
      }
    }
  });

  it('person keys and ciphertexts of strings equal the Node route; too long a value is left to it', () => {
    const pii = new ShortPii(keys);
    const r = rng(20220701);
    const samples = ['', '2', '22010219950101001X', '张三', '欧阳明月', '13800138000', '\ud800', 'a\udc00b'];
    for (let i = 0; i < 3000; i++) samples.push(randomString(r, Math.floor(r() * 40)));
    for (const s of samples) {
      const bytes = Buffer.byteLength(s, 'utf8');
      const key = pii.personKey(s);
      const enc = pii.encrypt(s);
      if (bytes > SHORT_MAX) {
        expect(key, JSON.stringify(s)).toBeNull();
        expect(enc, JSON.stringify(s)).toBeNull();
        continue;
      }
      expect(key, JSON.stringify(s)).toBe(nodeKey(keys.mac, s));
      expect(enc, JSON.stringify(s)).toBe(nodeEncrypt(keys, s));
    }
  });

  it('many values at once (one AES call for all) equal the Node route, long ones left to it, in jobs of any size', () => {
    const pii = new ShortPii(keys);
    const r = rng(20220831);
    const samples: string[] = ['', '1'.repeat(55), '1'.repeat(56), '长'.repeat(18), '长'.repeat(19)];
    for (let i = 0; i < 2000; i++) samples.push(randomString(r, Math.floor(r() * 40)));
    // Jobs of growing size exercise the buffers growing; a single value and an empty job too.
    for (let start = 0, size = 1; start < samples.length; start += size, size *= 3) {
      const job = samples.slice(start, start + size);
      const got = pii.encryptMany(job);
      job.forEach((s, i) => {
        const want = Buffer.byteLength(s, 'utf8') > SHORT_MAX ? null : nodeEncrypt(keys, s);
        expect(got[i], JSON.stringify(s)).toBe(want);
      });
    }
    expect(pii.encryptMany([])).toEqual([]);
    const codec = new PiiCodec(keys);
    expect(codec.encryptMany(['张三', '', '长'.repeat(40)])).toEqual([nodeEncrypt(keys, '张三'), '', nodeEncrypt(keys, '长'.repeat(40))]);
  });

  it('the codec gives the Node route\u2019s bytes for short and long values alike, and decrypts them', () => {
    const text = crypto.randomBytes(32).toString('hex');
    const k = piiKeysFromText(text);
    const codec = new PiiCodec(k);
    const long = '长'.repeat(30) + 'x'.repeat(80);
    for (const s of ['22010219950101001X', '22010219950101002X', '22010219950101001X', '李四', long, '1'.repeat(55), '1'.repeat(56)]) {
      expect(codec.personKey(s)).toBe(nodeKey(k.mac, s));
      expect(codec.encrypt(s)).toBe(nodeEncrypt(k, s));
      expect(codec.decrypt(codec.encrypt(s))).toBe(s);
    }
    expect(codec.encrypt('')).toBe('');
    expect(codec.encrypt(null)).toBe('');
  });
});
