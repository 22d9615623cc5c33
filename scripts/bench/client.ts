/**
 * A minimal keep-alive HTTP client for the load loops. node:http with one pooled socket costs less
 * client CPU per request than fetch (undici), and this machine has two cores shared by the client, the
 * local servers and workerd: what the client burns is not measured but still slows the Worker.
 * Every call has a deadline, so a stuck Worker fails the run instead of hanging it.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

const DEADLINE_MS = 30_000;

export interface Answer {
  status: number;
  text: string;
  /** Wall time from sending the request to the last byte of the answer, ms. */
  ms: number;
}

export class BenchClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4 });
  private readonly url: URL;

  constructor(
    origin: string,
    private readonly auth?: string,
  ) {
    this.url = new URL(origin);
  }

  send(method: string, path: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = {};
    if (this.auth) headers.authorization = this.auth;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request({ host: this.url.hostname, port: this.url.port, method, path, headers, agent: this.agent, timeout: DEADLINE_MS }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${DEADLINE_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Sends and checks the status; the message names the route and the answer when it is not the expected one. */
  async expect(status: number, method: string, path: string, body?: unknown): Promise<Answer> {
    const answer = await this.send(method, path, body);
    if (answer.status !== status) throw new Error(`${method} ${path}: expected ${status}, got ${answer.status}: ${answer.text.slice(0, 300)}`);
    return answer;
  }

  close(): void {
    this.agent.destroy();
  }
}
