// Headless Chromium for e2e tests: Debian's when installed, else the one
// inside @sparticuz/chromium (unpacked to /tmp on first use). We pass our own
// flags, not @sparticuz's Lambda defaults.
import * as fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Debian's Chromium, else @sparticuz's (unpacked once by tests/helpers/chromium.setup.ts). */
export async function chromiumExecutable(): Promise<string> {
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const sparticuz = (await import('@sparticuz/chromium')).default;
  return sparticuz.executablePath();
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
}

/** A browser context already signed in (the session and CSRF cookies of an API login). */
export async function signedInContext(
  browser: Browser,
  baseUrl: string,
  username: string,
  password: string,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<BrowserContext> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status}`);
  const ctx = await browser.newContext(options);
  const url = new URL(baseUrl);
  await ctx.addCookies(
    res.headers.getSetCookie().map((c) => {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      return { name: pair!.slice(0, i), value: pair!.slice(i + 1), domain: url.hostname, path: '/', httpOnly: /httponly/i.test(c), sameSite: 'Strict' as const };
    }),
  );
  return ctx;
}

/** Signs in through the app's login page (/login) and waits until it has left it. */
export async function signInThroughPage(page: Page, baseUrl: string, username: string, password: string, next?: string): Promise<void> {
  await page.goto(`${baseUrl}/login${next ? `?next=${encodeURIComponent(next)}` : ''}`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
