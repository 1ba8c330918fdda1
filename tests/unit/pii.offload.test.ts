import { describe, expect, it } from 'vitest';
import { nodeEncrypt, nodeKey } from '../helpers/pii-node';
import { PiiCodec, PreparedPii, piiKeysFromText } from '../../backend/src/security/pii';
import { offloadWanted, PiiOffload, workerFile } from '../../backend/src/security/pii.offload';

// The expectations are Node's own HMAC and AES-GCM (tests/helpers/pii-node.ts).

const keys = piiKeysFromText('9f'.repeat(32));
// IDs, Han names, a value past the kernel's one block (Node's path in the worker too), astral characters.
const VALUES = ['220102200001010011', '22010220000101002X', '张三', '欧阳明明', '长'.repeat(30), '😀𠀀', 'a'.repeat(56), '13800001234'];

function file(): string {
  const f = workerFile();
  if (!f) throw new Error('the compiled protection worker is missing: run npm run build:server first');
  return f;
}

describe('protection worker', () => {
  it('answers every value as Node computes it, and stops answering once closed', async () => {
    const w = new PiiOffload(keys, file());
    try {
      const r = await w.protect(VALUES, VALUES);
      expect(r).not.toBeNull();
      expect(r!.keys).toEqual(VALUES.map((v) => nodeKey(keys.mac, v)));
      expect(r!.encs).toEqual(VALUES.map((v) => nodeEncrypt(keys, v)));
      expect(w.served).toBe(VALUES.length * 2);
      // Many jobs in flight come back each to its own caller.
      const many = await Promise.all(VALUES.map((v) => w.protect([v], [])));
      expect(many.map((m) => m!.keys[0])).toEqual(VALUES.map((v) => nodeKey(keys.mac, v)));
    } finally {
      await w.close();
    }
    expect(w.alive).toBe(false);
    expect(await w.protect(VALUES, [])).toBeNull();
  });

  it('a worker that cannot start answers null (the caller protects on its own thread)', async () => {
    const w = new PiiOffload(keys, '/nonexistent/pii.worker.js');
    expect(await w.protect(VALUES, [])).toBeNull();
    expect(w.alive).toBe(false);
  });

  it('PII_WORKER=off keeps protection on the main thread', () => {
    expect(offloadWanted({ PII_WORKER: 'off' })).toBe(false);
    expect(offloadWanted({ PII_WORKER: ' OFF ' })).toBe(false);
    expect(offloadWanted({})).toBe(true);
  });
});

describe('prepared answers (PreparedPii)', () => {
  const codec = new PiiCodec(keys);
  const ids = ['220102200001010011', '22010220000101002X', '220102200001010038'];
  it('answers in order, a repeated person from the one before, and anything else by computing it', () => {
    // Deliberately wrong prepared answers mark which ones were used: nothing of the codec's own answers is assumed.
    const p = new PreparedPii(codec, ids, ['k0', 'k1', 'k2'], ['张三', '李四'], ['e0', 'e1']);
    expect(p.personKey(ids[0]!)).toBe('k0');
    expect(p.personKey(ids[0]!)).toBe('k0'); // the same person's next row
    expect(p.personKey(ids[1]!)).toBe('k1');
    expect(p.encrypt('张三')).toBe('e0');
    expect(p.misses).toBe(0);
    // Out of order: computed, and the cursor stays where it was.
    expect(p.personKey('220102200001010046')).toBe(nodeKey(keys.mac, '220102200001010046'));
    expect(p.encrypt('王五')).toBe(nodeEncrypt(keys, '王五'));
    expect(p.misses).toBe(2);
    expect(p.personKey(ids[2]!)).toBe('k2');
    expect(p.encrypt('李四')).toBe('e1');
    // Past the end, and empty values (stored empty, never asked).
    expect(p.personKey(ids[0]!)).toBe(nodeKey(keys.mac, ids[0]!));
    expect(p.encrypt('')).toBe('');
    expect(p.encrypt(null)).toBe('');
    expect(p.misses).toBe(3);
  });
});
