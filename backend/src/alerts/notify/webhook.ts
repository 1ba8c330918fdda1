// A generic JSON webhook for other systems: the notice as data. With a secret,
// X-Signature-256: sha256=<hex HMAC-SHA256 of the body> lets the receiver check it came from us.
import * as crypto from 'node:crypto';
import { postJson, type SendResult } from './http';
import { noticeText, type Notice } from './notice';

export interface WebhookBody {
  event: string;
  region: string;
  regionName: string;
  rule: string;
  severity: string;
  title: string;
  lines: string[];
  text: string;
  link: string;
  count: number;
  sentAt: string;
}

export function webhookBody(n: Notice, now = Date.now()): WebhookBody {
  return {
    event: n.kind, region: n.regionCode, regionName: n.regionName, rule: n.rule, severity: n.severity, title: n.title, lines: n.lines,
    text: noticeText(n, 15_000), link: n.link, count: n.count, sentAt: new Date(now).toISOString(),
  };
}

export function webhookSignature(secret: string, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function sendWebhook(url: string, secret: string, n: Notice, now = Date.now(), timeoutMs?: number): Promise<SendResult> {
  const body = webhookBody(n, now);
  const headers: Record<string, string> = { 'x-campaign-event': n.kind };
  if (secret) headers['x-signature-256'] = webhookSignature(secret, JSON.stringify(body));
  return postJson(url, body, headers, timeoutMs);
}
