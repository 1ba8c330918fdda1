// Personal data at rest: ID numbers, names and phones are stored encrypted
// (AES-256-GCM) and masked; persons are joined by a keyed hash of the ID.
// The IV is derived from the plaintext (SIV-style), so equal values encrypt
// equally: that keeps re-loads idempotent and leaks only what the keyed hash
// already shows (equality).
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ShortPii } from './pii.kernel';
import { offloadWanted, PiiOffload, workerFile } from './pii.offload';

export interface PiiKeys {
  mac: Buffer;
  enc: Buffer;
  iv: Buffer;
}

function derive(master: Buffer): PiiKeys {
  const sub = (label: string) => crypto.createHmac('sha256', master).update(label).digest();
  return { mac: sub('person-key'), enc: sub('encrypt'), iv: sub('iv') };
}

function parseKey(raw: string): Buffer {
  const t = raw.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length !== 32) throw new Error('PII_KEY must be 32 bytes, as 64 hex characters or base64');
  return buf;
}

/** PII_KEY from the environment, else DATA_DIR/pii.key (created with 0600 on first use). */
export function loadPiiKeys(dataDir: string, envKey: string | undefined = process.env.PII_KEY): PiiKeys {
  if (envKey) return derive(parseKey(envKey));
  const file = path.join(dataDir, 'pii.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return derive(parseKey(fs.readFileSync(file, 'utf8')));
}

/** The PII key's text as given (PII_KEY, else DATA_DIR/pii.key), for a backup made `--with-key`. */
export function piiKeyText(dataDir: string, envKey: string | undefined = process.env.PII_KEY): string {
  if (envKey) return envKey.trim();
  loadPiiKeys(dataDir, envKey);
  return fs.readFileSync(path.join(dataDir, 'pii.key'), 'utf8').trim();
}

/** Keys from a key's text (64 hex characters or base64); throws on anything else. */
export function piiKeysFromText(raw: string): PiiKeys {
  return derive(parseKey(raw));
}

/**
 * A one-way fingerprint of the key: a backup records it so a restore can tell the right key from a
 * wrong one before anything is written, without the backup holding the key.
 */
export function piiKeyFingerprint(keys: PiiKeys): string {
  return crypto.createHmac('sha256', keys.mac).update('backup-key-fingerprint').digest('hex').slice(0, 32);
}

function uuidOf(h: string): string {
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** What a stage line needs from the codec (ingest.rows.ts): the codec itself, or a batch's prepared answers. */
export interface Protector {
  personKey(id: string): string;
  encrypt(plain: string | null): string;
}

export class PiiCodec implements Protector {
  // No cache of results: the one-block kernel computes a key or a ciphertext in about the time a
  // Map of a few hundred thousand entries takes to look one up and keep it (and the kept strings
  // cost the collector more than the arithmetic). Only the last key is kept, for a person's rows
  // that come together (a ledger or service export sorted by person).
  private lastId = '';
  private lastKey = '';
  private readonly short: ShortPii;
  private worker: PiiOffload | null | undefined;

  constructor(private readonly keys: PiiKeys) {
    this.short = new ShortPii(keys);
  }

  /** The protection worker for big loads (one per codec, started on first use), or null (PII_WORKER=off, no build). */
  offload(): PiiOffload | null {
    if (this.worker === undefined) {
      const file = offloadWanted() ? workerFile() : null;
      this.worker = file ? new PiiOffload(this.keys, file) : null;
    }
    return this.worker && this.worker.alive ? this.worker : null;
  }

  /** Stops the protection worker, if one was started. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.close();
  }

  /** NestJS calls it when the app closes (the provider's instance). */
  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /** A UUID-shaped keyed hash of the (normalised) ID number: the join key for a person. */
  personKey(id: string): string {
    if (id === this.lastId) return this.lastKey;
    const k = this.short.personKey(id) ?? uuidOf(crypto.createHmac('sha256', this.keys.mac).update(id).digest('hex'));
    this.lastId = id;
    this.lastKey = k;
    return k;
  }

  encrypt(plain: string | null): string {
    if (plain === null || plain === '') return '';
    return this.short.encrypt(plain) ?? this.sealLong(plain);
  }

  /** encrypt() of many values at once (the protection worker's jobs): one AES call for all the short ones. */
  encryptMany(values: readonly string[]): string[] {
    const sealed = this.short.encryptMany(values);
    const out = new Array<string>(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      out[i] = v === '' ? '' : (sealed[i] ?? this.sealLong(v));
    }
    return out;
  }

  /** Node's own path, for values longer than the kernel's one block (raw rejected rows, long names). */
  private sealLong(plain: string): string {
    const iv = crypto.createHmac('sha256', this.keys.iv).update(plain).digest().subarray(0, 12);
    const c = crypto.createCipheriv('aes-256-gcm', this.keys.enc, iv);
    const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
  }

  decrypt(stored: string): string {
    if (!stored) return '';
    const b = Buffer.from(stored, 'base64');
    const d = crypto.createDecipheriv('aes-256-gcm', this.keys.enc, b.subarray(0, 12));
    d.setAuthTag(b.subarray(12, 28));
    return Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8');
  }
}

/**
 * A batch's person keys and ciphertexts computed ahead (by the protection worker), answered in the
 * order the stage lines ask for them; a value asked out of that order is computed by the codec, so
 * the answers never depend on the order, only the speed does.
 */
export class PreparedPii implements Protector {
  private k = 0;
  private e = 0;
  /** Values the prepared answers did not hold (computed by the codec instead). */
  misses = 0;

  constructor(
    private readonly codec: Protector,
    private readonly keyIn: readonly string[],
    private readonly keyOut: readonly string[],
    private readonly encIn: readonly string[],
    private readonly encOut: readonly string[],
  ) {}

  personKey(id: string): string {
    const i = this.k;
    if (this.keyIn[i] === id) {
      this.k = i + 1;
      return this.keyOut[i]!;
    }
    // A person's consecutive rows were sent once.
    if (i > 0 && this.keyIn[i - 1] === id) return this.keyOut[i - 1]!;
    this.misses++;
    return this.codec.personKey(id);
  }

  encrypt(plain: string | null): string {
    if (plain === null || plain === '') return '';
    const i = this.e;
    if (this.encIn[i] === plain) {
      this.e = i + 1;
      return this.encOut[i]!;
    }
    this.misses++;
    return this.codec.encrypt(plain);
  }
}

/** 张*明, 李*, 欧阳**锋 */
export function maskName(name: string | null): string {
  if (!name) return '';
  const chars = [...name];
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}

/** 220102********123X */
export function maskId(id: string | null): string {
  if (!id) return '';
  if (id.length < 10) return '*'.repeat(id.length);
  return id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4);
}

/** 138****5678 */
export function maskPhone(phone: string | null): string {
  if (!phone) return '';
  if (phone.length < 7) return '*'.repeat(phone.length);
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/** Masks ID-number- and phone-like runs in free text (raw rejected rows). */
export function maskFreeText(text: string): string {
  return text
    .replace(/\d{17}[\dXx]|\d{15,16}/g, (m) => maskId(m))
    .replace(/(?<!\d)1\d{10}(?!\d)/g, (m) => maskPhone(m));
}
