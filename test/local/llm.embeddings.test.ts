// Local LLM, embeddings through the official openai SDK: float and base64 encodings (the SDK asks for
// base64 by default and decodes it), the dimensions parameter, determinism, and OpenAI's list shape.
import OpenAI, { BadRequestError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLlm } from '../../scripts/local/llm.js';
import type { LocalServer } from '../../scripts/local/server.js';

const KEY = 'test-llm-key';
let server: LocalServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startLlm({ apiKey: KEY, embeddingDimension: 64 });
  client = new OpenAI({ apiKey: KEY, baseURL: `${server.url}/v1`, maxRetries: 0 });
});
afterAll(() => server.close());

function cosine(a: number[], b: number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((v, i) => {
    dot += v * b[i]!;
    na += v * v;
    nb += b[i]! * b[i]!;
  });
  return dot / Math.sqrt(na * nb);
}

describe('embeddings', () => {
  it('answers in OpenAI list shape with the server default dimension', async () => {
    const res = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['I love sushi', 'I work at Google'] });
    expect(res.object).toBe('list');
    expect(res.model).toBe('text-embedding-3-small');
    expect(res.data.map((d) => [d.object, d.index, d.embedding.length])).toEqual([
      ['embedding', 0, 64],
      ['embedding', 1, 64],
    ]);
    expect(res.usage).toEqual({ prompt_tokens: 3 + 4, total_tokens: 3 + 4 });
  });

  it('gives the same vector as float and as base64, and honours dimensions', async () => {
    const viaBase64 = await client.embeddings.create({ model: 'e', input: 'Prefers Python over JavaScript', dimensions: 256 });
    const viaFloat = await client.embeddings.create({
      model: 'e', input: 'Prefers Python over JavaScript', dimensions: 256, encoding_format: 'float',
    });
    expect(viaBase64.data[0]!.embedding).toHaveLength(256);
    expect(viaBase64.data[0]!.embedding).toEqual(viaFloat.data[0]!.embedding);

    const raw = await fetch(`${server.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'e', input: 'x y z', encoding_format: 'base64', dimensions: 8 }),
    });
    const body = (await raw.json()) as { data: Array<{ embedding: string }> };
    expect(Buffer.from(body.data[0]!.embedding, 'base64')).toHaveLength(8 * 4);
  });

  it('is deterministic: the same text has cosine 1, a related text less', async () => {
    const input = ['Works at Anthropic', 'Works at Anthropic', 'Enjoys hiking in the Alps'];
    const { data } = await client.embeddings.create({ model: 'e', input });
    const [a, b, c] = data.map((d) => d.embedding);
    expect(cosine(a!, b!)).toBeCloseTo(1, 6);
    expect(cosine(a!, c!)).toBeLessThan(0.9);
  });

  it('refuses empty input and token ids with a 400', async () => {
    await expect(client.embeddings.create({ model: 'e', input: '' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.embeddings.create({ model: 'e', input: [1, 2, 3] })).rejects.toBeInstanceOf(BadRequestError);
  });
});
