// The contract's person key and ciphertext computed with Node's own crypto, directly: the expectations
// of the protection tests (the kernel, the worker, what a load stores), never the product's codec.
import * as crypto from 'node:crypto';

/** UUID-shaped hex of HMAC-SHA256(mac, s). */
export function nodeKey(mac: Buffer, s: string): string {
  const h = crypto.createHmac('sha256', mac).update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** base64(iv ‖ tag ‖ AES-256-GCM(s)) with iv = HMAC-SHA256(iv key, s)[0..12] (the codec stores '' for an empty value instead). */
export function nodeEncrypt(keys: { enc: Buffer; iv: Buffer }, s: string): string {
  const iv = crypto.createHmac('sha256', keys.iv).update(s).digest().subarray(0, 12);
  const c = crypto.createCipheriv('aes-256-gcm', keys.enc, iv);
  const ct = Buffer.concat([c.update(s, 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
}
