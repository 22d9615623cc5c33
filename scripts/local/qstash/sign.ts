/**
 * The `Upstash-Signature` JWT (UPSTASH_PROTOCOLS.md §3.6): HS256 over the UTF-8 bytes of the
 * signing-key string, claims iss "Upstash", sub = the URL the request goes to, iat = nbf = now,
 * exp = now + 300 s, a unique jti, body = base64url(sha256(raw body)).
 *
 * Times are REAL wall-clock seconds (Date.now()), not the local clock: the receiver checks nbf/exp
 * against its own real clock, so a test that advanced the local clock must still get a valid token.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';

/** Token lifetime in seconds, the service's default ("5 minutes"). */
const TTL_SECONDS = 300;

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** base64url(sha256(body)) with the `=` padding the real service keeps (the Receiver strips it). */
export function bodyHash(body: Buffer | string): string {
  return `${createHash('sha256').update(body).digest('base64url')}=`;
}

export function signDelivery(opts: { url: string; body: Buffer | string; key: string; nowMs?: number }): string {
  const now = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  const claims = {
    iss: 'Upstash',
    sub: opts.url,
    exp: now + TTL_SECONDS,
    nbf: now,
    iat: now,
    jti: `jwt_${randomBytes(16).toString('hex')}`,
    body: bodyHash(opts.body),
  };
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64url(JSON.stringify(claims));
  const mac = createHmac('sha256', Buffer.from(opts.key, 'utf8')).update(`${header}.${payload}`).digest();
  return `${header}.${payload}.${b64url(mac)}`;
}
