/**
 * The REST path form (`GET /set/foo/bar/EX/100`), which the SDK never uses but curl users do:
 * each path segment is an argument (percent-decoded), a POST/PUT body is appended as the last
 * argument, and query pairs are appended after it (`?EX=100` → EX 100); `_token` is auth, not an
 * argument.
 */
import type { LocalRequest } from '../server.js';
import { WireError } from './wire.js';

export function pathCommand(req: LocalRequest): Buffer[] {
  const segments = req.path.split('/').filter((s) => s !== '');
  if (segments.length === 0) throw new WireError('ERR a command must be a non-empty JSON array');
  const args: Buffer[] = segments.map((s) => {
    try {
      return Buffer.from(decodeURIComponent(s), 'utf8');
    } catch {
      throw new WireError(`ERR bad percent-encoding in path segment '${s}'`);
    }
  });
  if ((req.method === 'POST' || req.method === 'PUT') && req.body.length > 0) args.push(req.body);
  for (const [k, v] of req.query) {
    if (k === '_token') continue;
    args.push(Buffer.from(k, 'utf8'));
    if (v !== '') args.push(Buffer.from(v, 'utf8'));
  }
  return args;
}
