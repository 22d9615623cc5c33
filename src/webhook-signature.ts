/**
 * Standard Webhooks signatures, both directions (inbound ingestion verifies, outbound delivery signs).
 *
 * - Secret: `whsec_` + base64 of the key bytes (we mint 32 random bytes).
 * - Signed content: `{webhook-id}.{webhook-timestamp}.{raw body}`, HMAC-SHA256 with the key bytes.
 * - `webhook-signature`: space-separated `v1,<base64 signature>` entries; one matching entry is enough
 *   (a sender rotating its secret signs with both). Entries of other versions are skipped.
 * - `webhook-timestamp`: integer unix seconds; a delivery more than TOLERANCE_SECONDS away from our
 *   clock (either side) is refused, which bounds how long a captured request can be replayed.
 *
 * Comparison is constant-time: each candidate goes through `crypto.subtle.verify`, which compares the
 * MAC inside the crypto library rather than with string equality.
 */
const encoder = new TextEncoder();

export const SECRET_PREFIX = 'whsec_';
export const TOLERANCE_SECONDS = 300;
/** Signature entries looked at per request: bounds the HMAC work an attacker can cause. */
const MAX_CANDIDATES = 8;

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array | null {
  try {
    const s = atob(text);
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

export function newWebhookSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}

/** The HMAC key of a `whsec_…` secret (the prefix is optional, as senders' libraries accept both). */
async function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey | null> {
  const bytes = fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  if (!bytes || bytes.length === 0) return null;
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

const signedContent = (id: string, timestamp: number | string, body: string) => encoder.encode(`${id}.${timestamp}.${body}`);

/** The `webhook-signature` value for one secret: `v1,<base64>`. `timestamp` is unix seconds. */
export async function signWebhook(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = await hmacKey(secret, 'sign');
  if (!key) throw new Error('webhook secret is not valid base64');
  const mac = await crypto.subtle.sign('HMAC', key, signedContent(id, timestamp, body));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

export type Verdict = 'valid' | 'expired' | 'invalid';

export interface SignedRequest {
  id: string;
  /** The header as sent: must be integer unix seconds. */
  timestamp: string;
  signature: string;
  body: string;
}

/** Checks the timestamp against `nowMs`, then each `v1` entry against each secret. */
export async function verifyWebhook(req: SignedRequest, secrets: string[], nowMs: number): Promise<Verdict> {
  if (!/^\d{1,12}$/.test(req.timestamp)) return 'invalid';
  if (Math.abs(nowMs / 1000 - Number(req.timestamp)) > TOLERANCE_SECONDS) return 'expired';
  const candidates = req.signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .slice(0, MAX_CANDIDATES)
    .map((entry) => fromBase64(entry.slice(3)))
    .filter((mac): mac is Uint8Array => mac !== null && mac.length === 32);
  if (candidates.length === 0) return 'invalid';
  const content = signedContent(req.id, req.timestamp, req.body);
  for (const secret of secrets) {
    const key = await hmacKey(secret, 'verify');
    if (!key) continue;
    for (const mac of candidates) if (await crypto.subtle.verify('HMAC', key, mac, content)) return 'valid';
  }
  return 'invalid';
}
