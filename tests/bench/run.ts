// `npm run bench` runs every benchmark; `npm run bench -- <name>` runs one.
import { benchIngest } from './ingest.bench';

const BENCHES: Record<string, () => Promise<unknown>> = {
  ingest: benchIngest,
};

async function main(): Promise<void> {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')} (have: ${Object.keys(BENCHES).join(', ')})`);
  for (const n of names.length ? names : Object.keys(BENCHES)) {
    process.stderr.write(`— bench ${n}\n`);
    await BENCHES[n]!();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
