// Error messages in Chinese: the server answers "中文 / English"; the desk shows the Chinese half.
import { ApiError } from '../api';

export function zhMessage(message: string): string {
  const i = message.indexOf(' / ');
  return (i > 0 ? message.slice(0, i) : message).trim();
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 403) return `无权访问：${zhMessage(e.message)}`;
    if (e.status === 404) return `未找到：${zhMessage(e.message)}`;
    if (e.status >= 500) return `服务器出错，请稍后重试（${zhMessage(e.message)}）`;
    return zhMessage(e.message);
  }
  return '页面出错，请重试';
}

export function isForbidden(e: unknown): boolean {
  return e instanceof ApiError && e.status === 403;
}
