// The protection worker (pii.offload.ts): person keys and ciphertexts of a batch's values,
// computed by the same codec as on the main thread, on the second core while the main thread
// parses the next batches.
import { parentPort, workerData } from 'node:worker_threads';
import { PiiCodec } from './pii';
import type { ProtectJob, ProtectReply } from './pii.offload';

const k = workerData as { mac: Uint8Array; enc: Uint8Array; iv: Uint8Array };
const codec = new PiiCodec({ mac: Buffer.from(k.mac), enc: Buffer.from(k.enc), iv: Buffer.from(k.iv) });

parentPort!.on('message', (job: ProtectJob) => {
  const keys = new Array<string>(job.keys.length);
  for (let i = 0; i < keys.length; i++) keys[i] = codec.personKey(job.keys[i]!);
  const encs = codec.encryptMany(job.encs);
  const reply: ProtectReply = { id: job.id, keys, encs };
  parentPort!.postMessage(reply);
});
