/**
 * SDK-level behaviour that depends on the server getting the protocol exactly right: explicit
 * pipelines and transactions, auto-pipelining of parallel calls, read-your-writes sync tokens and
 * authentication errors.
 */
import { Redis } from '@upstash/redis';
import { expect, it } from 'vitest';
import { describeEngines } from './redis-rest.harness.js';

describeEngines('SDK behaviour', (h) => {
  it('ping answers PONG through the SDK (the status reply is base64-encoded)', async () => {
    expect(await h().redis.ping()).toBe('PONG');
    expect(await h().redis.echo('hi')).toBe('hi');
  });

  it('pipeline(): a failing item rejects exec, or comes back per item with keepErrors', async () => {
    const { redis, key } = h();
    const p = redis.pipeline();
    p.set(key('p'), 'text');
    p.incr(key('p'));
    p.get(key('p'));
    await expect(p.exec()).rejects.toThrow('Command 2 [ incr ] failed: ERR value is not an integer or out of range');
    const q = redis.pipeline();
    q.get(key('p'));
    q.incr(key('p'));
    q.lrange(key('none'), 0, -1);
    const results = await q.exec({ keepErrors: true });
    expect(results[0]).toEqual({ result: 'text', error: undefined });
    expect(results[1]?.error).toBe('ERR value is not an integer or out of range');
    expect(results[2]).toEqual({ result: [], error: undefined });
  });

  it('multi(): runs the batch atomically and returns every result', async () => {
    const { redis, key } = h();
    const tx = redis.multi();
    tx.set(key('m'), 1);
    tx.incrby(key('m'), 4);
    tx.rpush(key('ml'), 'OK', 'x');
    tx.lrange(key('ml'), 0, -1);
    tx.eval("return redis.call('GET', KEYS[1])", [key('m')], []);
    expect(await tx.exec()).toEqual(['OK', 5, 2, ['OK', 'x'], 5]);
  });

  it('multi(): a transaction with an unsupported command is discarded and nothing runs', async () => {
    const { redis, key } = h();
    const tx = redis.multi();
    tx.set(key('discarded'), 'v');
    tx.xadd(key('stream'), '*', { f: 'v' });
    await expect(tx.exec()).rejects.toThrow(/EXECABORT .*unknown command 'XADD'/);
    expect(await redis.exists(key('discarded'))).toBe(0);
  });

  it('auto-pipelining batches parallel calls into one read and one write /pipeline request', async () => {
    const { redis, key, server } = h();
    await redis.set(key('a'), 'A');
    server.log.length = 0;
    const [a, b, n, m] = await Promise.all([redis.get(key('a')), redis.get(key('b')), redis.incr(key('n')), redis.incr(key('n'))]);
    expect([a, b, n, m]).toEqual(['A', null, 1, 2]);
    const paths = server.log.map((e) => `${e.method} ${e.path}`);
    expect(paths).toEqual(['POST /pipeline', 'POST /pipeline']);
  });

  it('an error in an auto-pipelined batch rejects only its own call', async () => {
    const { redis, key } = h();
    await redis.set(key('s'), 'text');
    const [bad, good] = await Promise.allSettled([redis.incr(key('s')), redis.incr(key('counter'))]);
    expect(bad.status).toBe('rejected');
    expect(good).toEqual({ status: 'fulfilled', value: 1 });
  });

  it('read-your-writes: the sync token changes after each write, pipeline and script', async () => {
    const { redis, key } = h();
    const seen: (string | undefined)[] = [redis.readYourWritesSyncToken];
    await redis.set(key('ryw'), 'v');
    seen.push(redis.readYourWritesSyncToken);
    const p = redis.pipeline();
    p.incr(key('ryw:n'));
    await p.exec();
    seen.push(redis.readYourWritesSyncToken);
    await redis.eval('return 1', [], []);
    seen.push(redis.readYourWritesSyncToken);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(1).every((t) => typeof t === 'string' && t !== '')).toBe(true);
  });

  it('a bad token makes the SDK throw Unauthorized', async () => {
    const wrong = new Redis({ url: h().server.url, token: 'wrong', enableTelemetry: false });
    await expect(wrong.get('k')).rejects.toThrow(/^Unauthorized/);
  });
});
