// Local QStash, pure parts: durations, the retry-delay expression language, default backoff and
// the signature format, checked without any HTTP.
import { createHash } from 'node:crypto';
import { Receiver } from '@upstash/qstash';
import { describe, expect, it } from 'vitest';
import { parseDuration, retryAfterMs } from '../../scripts/local/qstash/duration.js';
import { backoffMs, evaluateRetryDelay } from '../../scripts/local/qstash/retry-delay.js';
import { bodyHash, signDelivery } from '../../scripts/local/qstash/sign.js';

describe('parseDuration', () => {
  it('reads QStash delay strings in ms', () => {
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1d10h30m')).toBe(86_400_000 + 36_000_000 + 1_800_000);
    expect(parseDuration('6m5s')).toBe(365_000);
    expect(parseDuration('1500ms')).toBe(1500);
    expect(parseDuration('7')).toBe(7000);
  });
  it('rejects what it cannot read', () => {
    expect(parseDuration('10x')).toBeUndefined();
    expect(parseDuration('s10')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
  it('reads Retry-After as seconds or a date, capped at one day', () => {
    expect(retryAfterMs({ 'retry-after': '3' }, 0)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': new Date(61_000).toUTCString() }, 1000)).toBe(60_000);
    expect(retryAfterMs({ 'x-ratelimit-reset': '999999' }, 0)).toBe(86_400_000);
    expect(retryAfterMs({}, 0)).toBeUndefined();
  });
});

describe('retry delay', () => {
  it('evaluates expressions over `retried`', () => {
    expect(evaluateRetryDelay('1000', 3)).toBe(1000);
    expect(evaluateRetryDelay('1000 * (1 + retried)', 2)).toBe(3000);
    expect(evaluateRetryDelay('pow(2, retried) * 100', 3)).toBe(800);
    expect(evaluateRetryDelay('min(max(retried, 1), 5) - -1', 9)).toBe(6);
    expect(evaluateRetryDelay('floor(exp(1) * 1000) / 2', 0)).toBe(1359);
  });
  it('refuses anything else', () => {
    expect(() => evaluateRetryDelay('process.exit()', 0)).toThrow();
    expect(() => evaluateRetryDelay('1000 *', 0)).toThrow();
    expect(() => evaluateRetryDelay('foo(1)', 0)).toThrow();
    expect(() => evaluateRetryDelay('1 / 0', 0)).toThrow();
  });
  it('defaults to min(86400, e^(2.5 n)) seconds, n = 1 for the first retry, divided by timeScale', () => {
    expect(backoffMs(0, { timeScale: 1 })).toBe(Math.round(Math.exp(2.5) * 1000)); // ≈ 12 s
    expect(backoffMs(1, { timeScale: 1 })).toBe(Math.round(Math.exp(5) * 1000)); // ≈ 2 m 28 s
    expect(backoffMs(9, { timeScale: 1 })).toBe(86_400_000);
    expect(backoffMs(0, { timeScale: 100 })).toBe(Math.round(Math.exp(2.5) * 10));
    expect(backoffMs(4, { expression: '1000 * retried', timeScale: 1 })).toBe(4000);
    expect(backoffMs(0, { expression: '1000', overrideMs: 5, timeScale: 1 })).toBe(5);
  });
});

describe('signature', () => {
  it('hashes the body as padded base64url sha256', () => {
    expect(bodyHash('')).toBe('47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=');
  });
  it('produces a JWT the official Receiver accepts, with the documented claims', async () => {
    const body = '{"hello":"wörld"}';
    const sig = signDelivery({ url: 'https://a.example/x?y=1', body: Buffer.from(body), key: 'sig_k1' });
    const [h, p] = sig.split('.');
    expect(JSON.parse(Buffer.from(h ?? '', 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
    expect(claims.iss).toBe('Upstash');
    expect(claims.sub).toBe('https://a.example/x?y=1');
    expect(claims.exp).toBe((claims.iat as number) + 300);
    expect(claims.nbf).toBe(claims.iat);
    expect(Math.abs((claims.iat as number) - Date.now() / 1000)).toBeLessThan(5);
    expect(claims.jti).toMatch(/^jwt_/);
    expect(claims.body).toBe(createHash('sha256').update(body).digest('base64url') + '=');
    const receiver = new Receiver({ currentSigningKey: 'sig_k1', nextSigningKey: 'sig_k2' });
    await expect(receiver.verify({ signature: sig, body, url: 'https://a.example/x?y=1' })).resolves.toBe(true);
  });
});
