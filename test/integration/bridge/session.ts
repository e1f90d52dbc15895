// Browser mode's login as a non-browser caller does it: spend the one-time code of a printed link and
// keep the session cookie the bridge sets (Node's fetch has no cookie jar).
export async function sessionCookieOf(loginUrl: string): Promise<string> {
  const answer = await fetch(loginUrl, { redirect: 'manual' });
  const cookie = answer.headers.get('set-cookie');
  if (answer.status !== 303 || !cookie) throw new Error(`${loginUrl} answered ${answer.status} without a session cookie`);
  return cookie.split(';')[0]!;
}
