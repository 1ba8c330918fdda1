// A small fixed-window limiter per key (client IP): login and exports.
import { HttpException, HttpStatus } from '@nestjs/common';

export class RateLimiter {
  private readonly hits = new Map<string, { n: number; reset: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  check(key: string): void {
    const now = Date.now();
    const h = this.hits.get(key);
    if (!h || h.reset <= now) {
      if (this.hits.size > 10_000) this.hits.clear();
      this.hits.set(key, { n: 1, reset: now + this.windowMs });
      return;
    }
    h.n++;
    if (h.n > this.max) {
      throw new HttpException(`请求过于频繁，请 ${Math.ceil((h.reset - now) / 1000)} 秒后再试 / too many requests`, HttpStatus.TOO_MANY_REQUESTS);
    }
  }
}
