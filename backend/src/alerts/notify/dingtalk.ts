// DingTalk (钉钉) custom robot: markdown message; with a signing secret the URL
// carries timestamp (ms) and sign = base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)), URL-encoded.
import * as crypto from 'node:crypto';
import { postJson, type SendResult } from './http';
import { noticeMarkdown, type Notice } from './notice';

export interface DingtalkMarkdown {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
}

export function dingtalkSign(secret: string, timestampMs: number): string {
  return crypto.createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

export function dingtalkBody(n: Notice): DingtalkMarkdown {
  return { msgtype: 'markdown', markdown: { title: n.title.slice(0, 64), text: noticeMarkdown(n, 15_000) } };
}

/** The webhook URL with timestamp and sign appended (when a secret is set). */
export function dingtalkUrl(webhook: string, secret: string, timestampMs: number): string {
  if (!secret) return webhook;
  const sep = webhook.includes('?') ? '&' : '?';
  return `${webhook}${sep}timestamp=${timestampMs}&sign=${encodeURIComponent(dingtalkSign(secret, timestampMs))}`;
}

export function sendDingtalk(webhook: string, secret: string, n: Notice, now = Date.now(), timeoutMs?: number): Promise<SendResult> {
  return postJson(dingtalkUrl(webhook, secret, now), dingtalkBody(n), {}, timeoutMs);
}
