// The API bench's ceiling: a bare Node http server that answers every request
// with one prebuilt, already compressed body (or 304 for its ETag), and does
// nothing else. Run as its own process: `node bare.server.js BODYFILE ETAG
// [HEADERSFILE]`; prints its port as one JSON line once listening. With
// HEADERSFILE (a JSON object) it also sends those headers — the app's own
// (helmet's) — to tell the cost of the header set from the app's work.
import * as fs from 'node:fs';
import * as http from 'node:http';

const [bodyFile, etag, headersFile] = process.argv.slice(2);
const body = fs.readFileSync(bodyFile!);
const extra = headersFile ? (JSON.parse(fs.readFileSync(headersFile, 'utf8')) as Record<string, string>) : {};
const headers = {
  ...extra,
  'Content-Type': 'application/json; charset=utf-8',
  'Content-Encoding': 'gzip',
  'Content-Length': String(body.length),
  ETag: etag!,
  'Cache-Control': 'private, no-cache',
  Vary: 'Accept-Encoding',
};
const server = http.createServer((req, res) => {
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { ...extra, ETag: etag!, 'Cache-Control': 'private, no-cache', Vary: 'Accept-Encoding' });
    res.end();
    return;
  }
  res.writeHead(200, headers);
  res.end(body);
});
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
