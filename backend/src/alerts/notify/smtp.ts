// E-mail over SMTP (RFC 5321) with node:net/tls: EHLO, STARTTLS when the
// server offers it (or implicit TLS with smtps://), AUTH PLAIN/LOGIN, one
// UTF-8 plain-text message in base64. Small on purpose: notices are short
// text to a few liaison addresses, which needs no mail library.
import * as crypto from 'node:crypto';
import * as net from 'node:net';
import * as os from 'node:os';
import * as tls from 'node:tls';
import type { SendResult } from './http';
import { noticeText, type Notice } from './notice';

export interface SmtpSettings {
  host: string;
  port: number;
  /** Implicit TLS from the first byte (smtps://, usually port 465). */
  secure: boolean;
  user: string;
  pass: string;
  /** auto: upgrade when offered; required: fail without it; off: never. */
  starttls: 'auto' | 'required' | 'off';
  rejectUnauthorized: boolean;
  from: string;
  heloName: string;
  timeoutMs: number;
}

export class SmtpError extends Error {
  constructor(message: string, readonly code = 0) {
    super(message);
  }
}

/** SMTP_URL: smtp://[user:pass@]host[:port][?starttls=auto|required|off&tls_reject_unauthorized=0], or smtps://… */
export function parseSmtpUrl(raw: string, from: string): SmtpSettings {
  const u = new URL(raw);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`SMTP_URL must start with smtp:// or smtps://, got "${u.protocol}"`);
  const secure = u.protocol === 'smtps:';
  const st = u.searchParams.get('starttls') ?? 'auto';
  if (!['auto', 'required', 'off'].includes(st)) throw new Error('SMTP_URL starttls must be auto, required or off');
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : secure ? 465 : 25,
    secure,
    user: decodeURIComponent(u.username),
    pass: decodeURIComponent(u.password),
    starttls: st as SmtpSettings['starttls'],
    rejectUnauthorized: u.searchParams.get('tls_reject_unauthorized') !== '0',
    from,
    heloName: os.hostname() || 'localhost',
    timeoutMs: 15_000,
  };
}

function encodeWord(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;
}

function wrap76(b64: string): string {
  return b64.replace(/.{1,76}/g, '$&\r\n').trimEnd();
}

function smtpDate(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** The whole RFC 5322 message (headers and a base64 UTF-8 text body), CRLF line ends. */
export function emailMessage(from: string, to: string[], subject: string, text: string, now = Date.now(), id = crypto.randomBytes(8).toString('hex')): string {
  const domain = from.includes('@') ? from.slice(from.indexOf('@') + 1) : 'localhost';
  return [
    `From: ${encodeWord('吉林省就业攻坚预警')} <${from}>`,
    `To: ${to.map((t) => `<${t}>`).join(', ')}`,
    `Subject: ${encodeWord(subject)}`,
    `Date: ${smtpDate(now)}`,
    `Message-ID: <${id}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    wrap76(Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64')),
    '',
  ].join('\r\n');
}

export function noticeEmail(from: string, to: string[], n: Notice, now = Date.now()): { subject: string; message: string } {
  const text = noticeText(n, 60_000);
  return { subject: n.title, message: emailMessage(from, to, n.title, text, now) };
}

interface Reply {
  code: number;
  lines: string[];
}

class Conversation {
  private buf = '';
  private lines: string[] = [];
  private replies: Reply[] = [];
  private waiter: { resolve: (r: Reply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(public socket: net.Socket, private readonly timeoutMs: number) {
    this.attach(socket);
  }

  attach(socket: net.Socket): void {
    this.socket = socket;
    socket.setTimeout(this.timeoutMs);
    socket.on('data', (d: Buffer) => this.onData(d.toString('utf8')));
    socket.on('timeout', () => this.fail(new SmtpError('SMTP timeout')));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new SmtpError('SMTP connection closed')));
  }

  detach(): void {
    this.socket.removeAllListeners('data');
    this.socket.removeAllListeners('timeout');
    this.socket.removeAllListeners('error');
    this.socket.removeAllListeners('close');
    this.socket.setTimeout(0);
    // A late error (a reset while closing) must not go unhandled.
    this.socket.on('error', () => undefined);
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    if (this.waiter) {
      this.waiter.reject(e);
      this.waiter = null;
    }
  }

  private onData(s: string): void {
    this.buf += s;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i).replace(/\r$/, '');
      this.buf = this.buf.slice(i + 1);
      this.lines.push(line);
      // A reply ends with "NNN text" (space, or nothing, after the code); "NNN-text" continues it.
      if (/^\d{3}(?: |$)/.test(line)) {
        const r = { code: Number(line.slice(0, 3)), lines: this.lines.map((l) => l.slice(4)) };
        this.lines = [];
        if (this.waiter) {
          this.waiter.resolve(r);
          this.waiter = null;
        } else this.replies.push(r);
      }
    }
  }

  read(): Promise<Reply> {
    const r = this.replies.shift();
    if (r) return Promise.resolve(r);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiter = { resolve, reject }));
  }

  async cmd(line: string, expect: number[], shown = line): Promise<Reply> {
    this.socket.write(`${line}\r\n`);
    const r = await this.read();
    if (!expect.includes(r.code)) throw new SmtpError(`${shown.split(' ')[0]} → ${r.code} ${r.lines.join(' ')}`, r.code);
    return r;
  }
}

function connect(s: SmtpSettings): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const onErr = (e: Error) => reject(e);
    const sock = s.secure
      ? tls.connect({ host: s.host, port: s.port, servername: net.isIP(s.host) ? undefined : s.host, rejectUnauthorized: s.rejectUnauthorized }, () => {
        sock.off('error', onErr);
        resolve(sock);
      })
      : net.connect({ host: s.host, port: s.port }, () => {
        sock.off('error', onErr);
        resolve(sock);
      });
    sock.once('error', onErr);
    sock.setTimeout(s.timeoutMs, () => sock.destroy(new SmtpError('SMTP connect timeout')));
  });
}

function upgrade(sock: net.Socket, s: SmtpSettings): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const t = tls.connect({ socket: sock, servername: net.isIP(s.host) ? undefined : s.host, rejectUnauthorized: s.rejectUnauthorized }, () => resolve(t));
    t.once('error', reject);
  });
}

/** Sends one message; resolves when the server accepted it (250 after DATA). */
export async function sendMail(s: SmtpSettings, to: string[], message: string): Promise<void> {
  const sock = await connect(s);
  const c = new Conversation(sock, s.timeoutMs);
  try {
    const greet = await c.read();
    if (greet.code !== 220) throw new SmtpError(`greeting ${greet.code} ${greet.lines.join(' ')}`, greet.code);
    let ehlo = await c.cmd(`EHLO ${s.heloName}`, [250]);
    let secure = s.secure;
    const offers = (r: Reply, ext: string) => r.lines.some((l) => l.toUpperCase().split(' ')[0] === ext);
    if (!secure && s.starttls !== 'off' && offers(ehlo, 'STARTTLS')) {
      await c.cmd('STARTTLS', [220]);
      c.detach();
      c.attach(await upgrade(c.socket, s));
      secure = true;
      ehlo = await c.cmd(`EHLO ${s.heloName}`, [250]);
    }
    if (!secure && s.starttls === 'required') throw new SmtpError('the server does not offer STARTTLS (SMTP_URL starttls=required)');
    if (s.user) {
      const auth = ehlo.lines.find((l) => l.toUpperCase().startsWith('AUTH'))?.toUpperCase() ?? '';
      if (auth.includes('PLAIN') || !auth.includes('LOGIN')) {
        await c.cmd(`AUTH PLAIN ${Buffer.from(`\0${s.user}\0${s.pass}`, 'utf8').toString('base64')}`, [235], 'AUTH PLAIN');
      } else {
        await c.cmd('AUTH LOGIN', [334]);
        await c.cmd(Buffer.from(s.user, 'utf8').toString('base64'), [334], 'AUTH user');
        await c.cmd(Buffer.from(s.pass, 'utf8').toString('base64'), [235], 'AUTH password');
      }
    }
    await c.cmd(`MAIL FROM:<${s.from}>`, [250]);
    for (const rcpt of to) await c.cmd(`RCPT TO:<${rcpt}>`, [250, 251]);
    await c.cmd('DATA', [354]);
    // Dot-stuffing: a line starting with '.' gets another one.
    const data = message.replace(/\r\n\./g, '\r\n..').replace(/^\./, '..');
    await c.cmd(`${data.endsWith('\r\n') ? data : `${data}\r\n`}.`, [250], 'DATA');
    await c.cmd('QUIT', [221]).catch(() => undefined);
  } finally {
    c.detach();
    c.socket.destroy();
  }
}

export async function sendEmail(s: SmtpSettings | null, to: string[], n: Notice, now = Date.now()): Promise<SendResult> {
  if (!s) return { ok: false, httpStatus: 0, error: 'SMTP_URL is not set', payload: '' };
  const { message } = noticeEmail(s.from, to, n, now);
  try {
    await sendMail(s, to, message);
    return { ok: true, httpStatus: 0, error: '', payload: message };
  } catch (e) {
    return { ok: false, httpStatus: e instanceof SmtpError ? e.code : 0, error: e instanceof Error ? e.message : String(e), payload: message };
  }
}
