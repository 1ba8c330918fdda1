// Vitest global setup of the e2e project: unpack @sparticuz/chromium once,
// before any test file starts. Two e2e files unpacking it at the same time
// raced (one spawned /tmp/chromium while the other was still writing it:
// "spawn ETXTBSY").
import { chromiumExecutable } from './browser';

export default async function setup(): Promise<void> {
  await chromiumExecutable();
}
