// Cluster mode (CLICKHOUSE_CLUSTER=<name>): the migrations are written for one
// server; this renders each statement for a cluster. DDL gets ON CLUSTER,
// every *MergeTree engine becomes its Replicated* twin (replica path keyed by
// shard, database and table), and the tables that are read across shards get
// a `<table>_all` Distributed table beside them. Pure string work, so a test
// can render every migration and have ClickHouse parse each statement.

/** Tables that get a `<table>_all` Distributed table, with the key that keeps related rows on one shard. */
export const DISTRIBUTED_TABLES: Readonly<Record<string, string>> = {
  ledger_raw: 'cityHash64(person_key)',
  service_raw: 'cityHash64(person_key)',
  help_raw: 'cityHash64(person_key)',
  event_raw: 'cityHash64(event_id)',
  metric_snapshots: 'cityHash64(code)',
};

const IDENT = '(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)(?:\\.(?:`[^`]+`|[A-Za-z_][A-Za-z0-9_]*))?';

function bare(name: string): string {
  return (name.split('.').pop() ?? name).replace(/`/g, '');
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `ENGINE = XMergeTree(args)` → `ENGINE = ReplicatedXMergeTree('/clickhouse/tables/{shard}/{database}/<table>', '{replica}', args)`. */
export function replicateEngine(stmt: string, table: string): string {
  return stmt.replace(
    /ENGINE\s*=\s*(Replacing|Summing|Aggregating|Collapsing|VersionedCollapsing|Graphite)?MergeTree\b(\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\))?/i,
    (_m, kind: string | undefined, _paren: string | undefined, args: string | undefined) => {
      const zk = [quote(`/clickhouse/tables/{shard}/{database}/${table}`), quote('{replica}')];
      const rest = args && args.trim() ? [args.trim()] : [];
      return `ENGINE = Replicated${kind ?? ''}MergeTree(${[...zk, ...rest].join(', ')})`;
    },
  );
}

/**
 * One migration statement rendered for a cluster: a list, because a table
 * read across shards is followed by its Distributed `<table>_all`.
 */
export function renderForCluster(stmt: string, cluster: string, database: string): string[] {
  const on = ` ON CLUSTER ${cluster}`;
  // A statement may open with comment lines (splitStatements keeps those after a blank line).
  const s = stmt.replace(/^(?:\s*--[^\n]*(?:\n|$))+/, '').trim();
  if (/\bON\s+CLUSTER\b/i.test(s)) return [s];

  // CREATE [OR REPLACE] TABLE|VIEW|MATERIALIZED VIEW|DICTIONARY [IF NOT EXISTS] name …
  const create = new RegExp(
    `^(CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMPORARY\\s+)?(TABLE|VIEW|MATERIALIZED\\s+VIEW|DICTIONARY|DATABASE)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?)(${IDENT})`,
    'i',
  ).exec(s);
  if (create) {
    const kind = create[2]!.toUpperCase().replace(/\s+/g, ' ');
    const name = create[3]!;
    let out = create[1] + name + on + s.slice(create[0].length);
    if (kind === 'TABLE' || kind === 'MATERIALIZED VIEW') out = replicateEngine(out, kind === 'TABLE' ? bare(name) : `${bare(name)}_inner`);
    const stmts = [out];
    const key = kind === 'TABLE' ? DISTRIBUTED_TABLES[bare(name)] : undefined;
    if (key) {
      stmts.push(`CREATE TABLE IF NOT EXISTS ${bare(name)}_all${on} AS ${name} ENGINE = Distributed(${cluster}, ${database}, ${bare(name)}, ${key})`);
    }
    return stmts;
  }

  // ALTER|DROP|TRUNCATE|OPTIMIZE TABLE [IF EXISTS] name …
  const alter = new RegExp(
    `^((?:ALTER|DROP|TRUNCATE|OPTIMIZE)\\s+(?:TABLE|VIEW|DICTIONARY|DATABASE)?\\s*(?:IF\\s+EXISTS\\s+)?)(${IDENT})`,
    'i',
  ).exec(s);
  if (alter) {
    const out = [alter[1] + alter[2] + on + s.slice(alter[0].length)];
    // Dropping a table read across shards drops its Distributed table too.
    if (/^DROP\s+TABLE/i.test(s) && DISTRIBUTED_TABLES[bare(alter[2]!)]) {
      out.unshift(`DROP TABLE IF EXISTS ${bare(alter[2]!)}_all${on}`);
    }
    return out;
  }

  // RENAME TABLE a TO b [, …] / EXCHANGE TABLES a AND b: ON CLUSTER goes last.
  if (/^(RENAME|EXCHANGE)\s+(TABLE|TABLES|DICTIONARY)\b/i.test(s)) return [s + on];

  // Anything else (INSERT, SYSTEM …) runs as written on the server the app talks to.
  return [s];
}
