// WeCom (企业微信) group robot: POST {"msgtype":"markdown","markdown":{"content":…}} to the robot's webhook URL.
import { postJson, type SendResult } from './http';
import { noticeMarkdown, type Notice } from './notice';

export interface WecomMarkdown {
  msgtype: 'markdown';
  markdown: { content: string };
}

/** WeCom caps markdown content at 4096 bytes. */
export function wecomBody(n: Notice): WecomMarkdown {
  return { msgtype: 'markdown', markdown: { content: noticeMarkdown(n, 4000) } };
}

export function sendWecom(url: string, n: Notice, timeoutMs?: number): Promise<SendResult> {
  return postJson(url, wecomBody(n), {}, timeoutMs);
}
