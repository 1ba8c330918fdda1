// Where the login page sends a user once signed in: back to the page that sent
// them there (an IM notice's link: path and query), but only to a path on this
// site — never "//host" or "/\host", which a browser reads as another site. Pure.
export function nextPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return '/';
  if (next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next.startsWith('/login')) return '/'; // back to the login page would be a loop
  return next;
}
