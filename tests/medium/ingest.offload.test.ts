// A big load protects ID numbers, names and phones in a worker thread (security/pii.offload.ts)
// while the main thread parses the next batches. What is stored must be exactly what the keyed
// hash and the deterministic AES-256-GCM of the contract give, row for row — computed here with
// Node's crypto from the data directory's key, not by the product's codec — whether the worker
// answered, the main thread did (a file's first batches), or the worker died half-way.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../backend/src/ingest/ingest.service';
import { CLICKHOUSE, type ClickHouseHandle } from '../../backend/src/clickhouse/clickhouse.provider';
import { PII_CODEC } from '../../backend/src/security/pii.provider';
import { loadPiiKeys, type PiiCodec, type PiiKeys } from '../../backend/src/security/pii';
import { startTestServer, type TestServer } from '../helpers/server';
import { pid, writeCsv } from '../helpers/ledger-fixtures';
import { nodeEncrypt, nodeKey } from '../helpers/pii-node';

const SURNAMES = ['王', '李', '张', '刘', '欧阳', '司马'];
/** 3 versions per person, consecutive (as an export sorted by person comes); names of 2–22 characters (past one block), phones or none. */
function rows(n: number): Array<{ id: string; name: string; phone: string; updated: string }> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const p = 1 + Math.floor(i / 3);
    const given = '明'.repeat(1 + (p % 7)) + (p % 50 === 0 ? '长'.repeat(20) : '');
    out.push({
      id: pid(p),
      name: SURNAMES[p % SURNAMES.length] + given,
      phone: p % 4 === 0 ? '' : `138${String(10_000_000 + p * 7 + (i % 3)).slice(-8)}`,
      updated: `2022-07-0${1 + (i % 3)} 08:00`,
    });
  }
  return out;
}

function ledgerFile(dir: string, name: string, data: ReturnType<typeof rows>): string {
  return writeCsv(
    dir,
    name,
    ['身份证号', '姓名', '联系电话', '毕业年份', '人员类别', '信息来源', '接收日期', '县区代码', '更新时间'],
    data.map((r) => [r.id, r.name, r.phone, 2022, '应届毕业生', '教育部门', '2022-07-01', '220102', r.updated]),
  );
}

describe('ID protection offloaded to a worker thread', () => {
  let server: TestServer;
  let keys: PiiKeys;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'offload-'));
  beforeAll(async () => {
    server = await startTestServer();
    keys = loadPiiKeys(server.dataDir);
  });
  afterAll(async () => {
    await server?.close();
  });

  async function stored(file: string): Promise<Array<{ row: number; k: string; id_enc: string; name_enc: string; phone_enc: string }>> {
    const ch = server.app.get<ClickHouseHandle>(CLICKHOUSE);
    const rs = await ch.client.query({
      query: 'SELECT row, toString(person_key) AS k, id_enc, name_enc, phone_enc FROM ledger_raw WHERE file = {f:String} ORDER BY row',
      query_params: { f: file },
      format: 'JSONEachRow',
    });
    return rs.json();
  }

  function check(data: ReturnType<typeof rows>, got: Awaited<ReturnType<typeof stored>>): void {
    expect(got).toHaveLength(data.length);
    let wrong = 0;
    for (const g of got) {
      const r = data[g.row - 2]!; // row 1 is the header
      if (g.k !== nodeKey(keys.mac, r.id) || g.id_enc !== nodeEncrypt(keys, r.id) || g.name_enc !== nodeEncrypt(keys, r.name) || g.phone_enc !== (r.phone === '' ? '' : nodeEncrypt(keys, r.phone))) wrong++;
    }
    expect(wrong).toBe(0);
  }

  it('stores, for every row, the keys and ciphertexts the contract gives; the worker answered most of them', async () => {
    const codec = server.app.get<PiiCodec>(PII_CODEC);
    const data = rows(3_000); // six parse batches: two on the main thread, four through the worker
    const s = await server.app.get(IngestService).loadFiles([ledgerFile(dir, 'big.csv', data)]);
    expect(s).toMatchObject({ accepted: 3_000, rejected: 0, inserted: 3_000 });
    const offload = codec.offload();
    expect(offload).not.toBeNull();
    // 4 batches × 500 rows: a person key per person (3 rows), the ID, the name and (3 persons in 4) the phone per row.
    expect(offload!.served).toBeGreaterThan(2_000 * 2);
    check(data, await stored('big.csv'));
  });

  it('a worker gone half-way: the rest is protected on the main thread, nothing lost or wrong', async () => {
    const codec = server.app.get<PiiCodec>(PII_CODEC);
    const data = rows(3_600).map((r) => ({ ...r, updated: r.updated.replace('08:00', '09:00') }));
    let closed: Promise<void> | null = null;
    const s = await server.app.get(IngestService).loadFiles([ledgerFile(dir, 'gone.csv', data)], {
      onProgress: (_f, read) => {
        if (read >= 1_500 && !closed) closed = codec.offload()!.close();
      },
    });
    await closed;
    expect(s).toMatchObject({ accepted: 3_600, rejected: 0, inserted: 3_600 });
    expect(codec.offload()).toBeNull();
    check(data, await stored('gone.csv'));
  });
});
