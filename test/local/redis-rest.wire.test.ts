/** Unit tests of the pure pieces: the JSON encoder/decoder, Redis number formatting, glob matching. */
import { describe, expect, it } from 'vitest';
import { formatDouble, formatHumanFloat, parseFloatArg, parseInteger } from '../../scripts/local/redis/args.js';
import { array, bulk, error, int, NIL, OK, status } from '../../scripts/local/redis/reply.js';
import { globMatch } from '../../scripts/local/redis/scan.js';
import { decodeCommand, encodeReply, envelope } from '../../scripts/local/redis/wire.js';

describe('encodeReply (base64 mode)', () => {
  it('leaves only a top-level OK status unencoded', () => {
    expect(encodeReply(OK, true)).toBe('OK');
    expect(encodeReply(array([OK]), true)).toEqual(['T0s=']);
    expect(encodeReply(array([array([OK])]), true)).toEqual([['T0s=']]);
    expect(encodeReply(bulk('OK'), true)).toBe('T0s=');
    expect(encodeReply(status('PONG'), true)).toBe('UE9ORw==');
  });

  it('keeps integers and nil as JSON, and encodes nested errors as strings', () => {
    expect(encodeReply(array([int(3), NIL, bulk('bar')]), true)).toEqual([3, null, 'YmFy']);
    expect(encodeReply(array([error('ERR x')]), true)).toEqual([Buffer.from('ERR x').toString('base64')]);
  });

  it('base64-encodes raw bytes and sends UTF-8 text without the header', () => {
    expect(encodeReply(bulk(Buffer.from([0xff, 0x00])), true)).toBe('/wA=');
    expect(encodeReply(bulk('héllo'), false)).toBe('héllo');
    expect(encodeReply(status('PONG'), false)).toBe('PONG');
  });

  it('wraps errors in {error} unencoded and everything else in {result}', () => {
    expect(envelope(error('ERR bad'), true)).toEqual({ error: 'ERR bad' });
    expect(envelope(NIL, true)).toEqual({ result: null });
  });
});

describe('decodeCommand', () => {
  it('turns JSON strings, numbers and booleans into argument bytes', () => {
    const args = decodeCommand(['set', 'k', 1.5, 10, 1e21, -0.000001, true, false, 'ü']).map((b) => b.toString());
    expect(args).toEqual(['set', 'k', '1.5', '10', '1e+21', '-0.000001', 'true', 'false', 'ü']);
  });

  it('refuses null, nested values and empty commands', () => {
    expect(() => decodeCommand(['set', 'k', null])).toThrow(/argument 3 is null/);
    expect(() => decodeCommand(['set', 'k', ['x']])).toThrow(/an array/);
    expect(() => decodeCommand([])).toThrow(/non-empty/);
  });
});

describe('Redis number formatting and parsing', () => {
  it('formats doubles like Redis 7.0 (%.17g)', () => {
    expect(formatDouble(1.5)).toBe('1.5');
    expect(formatDouble(3)).toBe('3');
    expect(formatDouble(0.1)).toBe('0.10000000000000001');
    expect(formatDouble(2 ** 60)).toBe('1.152921504606847e+18');
    expect(formatDouble(1e-5)).toBe('1.0000000000000001e-05');
    expect(formatDouble(Infinity)).toBe('inf');
    expect(formatDouble(-Infinity)).toBe('-inf');
  });

  it('formats INCRBYFLOAT results in the human form', () => {
    expect(formatHumanFloat(0.1 + 0.2)).toBe('0.3');
    expect(formatHumanFloat(1e20)).toBe('100000000000000000000');
    expect(formatHumanFloat(1e-7)).toBe('0.0000001');
    expect(formatHumanFloat(-1)).toBe('-1');
  });

  it('parses integers and floats strictly', () => {
    expect(parseInteger(Buffer.from('-42'))).toBe(-42);
    for (const bad of ['+1', '01', ' 1', '1.0', '9223372036854775808', '']) {
      expect(() => parseInteger(Buffer.from(bad))).toThrow('ERR value is not an integer or out of range');
    }
    expect(parseFloatArg(Buffer.from('-inf'))).toBe(-Infinity);
    expect(parseFloatArg(Buffer.from('1e3'))).toBe(1000);
    expect(() => parseFloatArg(Buffer.from('nan'))).toThrow('ERR value is not a valid float');
  });
});

describe('globMatch', () => {
  it('supports *, ?, classes, negation, ranges and escapes', () => {
    expect(globMatch('user:*', 'user:1')).toBe(true);
    expect(globMatch('user:?', 'user:12')).toBe(false);
    expect(globMatch('h[ae]llo', 'hallo')).toBe(true);
    expect(globMatch('h[^e]llo', 'hello')).toBe(false);
    expect(globMatch('k[a-c]', 'kb')).toBe(true);
    expect(globMatch('a\\*b', 'a*b')).toBe(true);
    expect(globMatch('a\\*b', 'axb')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
  });
});
