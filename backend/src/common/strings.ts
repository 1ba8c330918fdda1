/**
 * A copy of a string that does not share memory with the string it was cut
 * from. V8 keeps a whole decoded file chunk (megabytes) alive as long as any
 * substring of it lives, so strings kept in long-lived caches are flattened
 * first.
 */
export function detached(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}
