// Query parameters written into the SQL as typed literals, for the embedded engine's long background
// queries: chDB runs every parameterized query of the process one at a time (a process-wide chain
// around its native parameter binding, node_modules/chdb/index.js), so one 30-second parameterized
// query held every other one — a load's bookkeeping, a screen build, a sign-in. A query without
// parameters on its own connection runs beside them. Each `{name:Type}` becomes
// `CAST(literal AS Type)`: the same value the engine's substitution would give. Only numbers, strings
// and arrays of them are written; anything else throws, and the caller keeps the parameters.
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*):([^{}]+)\}/g;

/** A ClickHouse string literal: backslashes and quotes escaped, everything else as it is. */
export function stringLiteral(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function scalar(v: unknown, name: string): string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`parameter ${name}: not a finite number`);
    return String(v);
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return stringLiteral(v);
  throw new Error(`parameter ${name}: ${typeof v} cannot be written as a literal`);
}

function literal(v: unknown, name: string): string {
  if (Array.isArray(v)) return `[${v.map((x) => scalar(x, name)).join(', ')}]`;
  return scalar(v, name);
}

/** The SQL with every `{name:Type}` replaced by `CAST(literal AS Type)`; throws when a value is missing or not writable. */
export function inlineParams(sql: string, params: Record<string, unknown>): string {
  return sql.replace(PLACEHOLDER, (_m, name: string, type: string) => {
    if (!(name in params) || params[name] === undefined || params[name] === null) throw new Error(`parameter ${name} is not given`);
    const t = type.trim();
    if (/^(Identifier|Nullable|Map|Tuple)\b/.test(t)) throw new Error(`parameter ${name}: type ${t} is not written as a literal`);
    return `CAST(${literal(params[name], name)} AS ${t})`;
  });
}
