// Passwords: scrypt (N=2^15, r=8, p=1) with a random salt; compared in constant time.
import * as crypto from 'node:crypto';

const N = 1 << 15;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    crypto.scrypt(password, salt, KEYLEN, { N: n, r: 8, p: 1, maxmem: 128 * n * 8 * 2 }, (e, k) => (e ? reject(e) : resolve(k))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, N);
  return `scrypt$${N}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !n || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), Number(n));
  return got.length === expected.length && crypto.timingSafeEqual(got, expected);
}

/** The minimum password policy; returns the problem in Chinese, or null. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < 10) return '密码至少10位 / at least 10 characters';
  if (password.length > 200) return '密码过长 / too long';
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) return '密码须同时包含字母和数字 / needs letters and digits';
  if (password.toLowerCase().includes(username.toLowerCase())) return '密码不能包含用户名 / must not contain the username';
  return null;
}

export function randomPassword(): string {
  // Unambiguous letters and digits; always satisfies the policy.
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.randomBytes(16);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return `${s.slice(0, 14)}${(bytes[0]! % 8) + 2}a`;
}
