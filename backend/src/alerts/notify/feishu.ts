// Feishu / Lark (飞书) custom bot: {"msg_type":"text","content":{"text":…}}; with a signing secret the body
// also carries timestamp (seconds) and sign = base64(HMAC-SHA256 keyed with `${timestamp}\n${secret}` over an empty message).
import * as crypto from 'node:crypto';
import { postJson, type SendResult } from './http';
import { noticeText, type Notice } from './notice';

export interface FeishuText {
  msg_type: 'text';
  content: { text: string };
  timestamp?: string;
  sign?: string;
}

export function feishuSign(secret: string, timestampSec: number): string {
  return crypto.createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}

export function feishuBody(n: Notice, secret = '', timestampSec = Math.floor(Date.now() / 1000)): FeishuText {
  const body: FeishuText = { msg_type: 'text', content: { text: noticeText(n, 15_000) } };
  if (secret) {
    body.timestamp = String(timestampSec);
    body.sign = feishuSign(secret, timestampSec);
  }
  return body;
}

export function sendFeishu(url: string, secret: string, n: Notice, now = Date.now(), timeoutMs?: number): Promise<SendResult> {
  return postJson(url, feishuBody(n, secret, Math.floor(now / 1000)), {}, timeoutMs);
}
