/**
 * `POST /v1/embeddings`: `{input: string | string[], model, dimensions?, encoding_format?}` → OpenAI's
 * list shape. Vectors come from the local text model's hashed dense embedding (deterministic,
 * L2-normalised, so the same text always gives cosine 1). `encoding_format: "base64"` — which the
 * openai SDK v6 asks for by default and decodes itself — is the float32 little-endian bytes, base64.
 * Token-id inputs (number arrays) are refused: the stand-in has no tokenizer.
 */
import type { LocalResponse } from '../server.js';
import { embedDense } from '../text-model.js';
import { InvalidRequest } from './errors.js';
import { estimateTokens } from './state.js';

const MAX_INPUTS = 2048;
const MAX_DIMENSIONS = 4096;

interface EmbeddingRequest {
  inputs: string[];
  model: string;
  dimensions: number;
  encoding: 'float' | 'base64';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseEmbeddingRequest(body: unknown, defaultDimension: number): EmbeddingRequest {
  if (!isRecord(body)) throw new InvalidRequest('The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model.length === 0) throw new InvalidRequest('you must provide a model parameter');
  const inputs = typeof body.input === 'string' ? [body.input] : body.input;
  if (!Array.isArray(inputs) || inputs.length === 0 || inputs.length > MAX_INPUTS) {
    throw new InvalidRequest(`'$.input' is invalid: expected a string or 1..${MAX_INPUTS} strings.`, 'input', 'invalid_value');
  }
  if (!inputs.every((t): t is string => typeof t === 'string')) {
    const message = 'token-id input (arrays of numbers) is not supported by the local LLM stand-in; send text.';
    throw new InvalidRequest(message, 'input', 'unsupported_value');
  }
  if (inputs.some((t) => t.length === 0)) {
    throw new InvalidRequest("'$.input' is invalid: empty strings are not allowed.", 'input', 'invalid_value');
  }
  const dimensions = body.dimensions ?? defaultDimension;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_DIMENSIONS) {
    throw new InvalidRequest(`Invalid 'dimensions': expected an integer in 1..${MAX_DIMENSIONS}.`, 'dimensions', 'invalid_value');
  }
  const encoding = body.encoding_format ?? 'float';
  if (encoding !== 'float' && encoding !== 'base64') {
    const message = `Invalid value: ${JSON.stringify(encoding)}. Supported values are: 'float' and 'base64'.`;
    throw new InvalidRequest(message, 'encoding_format', 'invalid_value');
  }
  return { inputs, model: body.model, dimensions, encoding };
}

function toBase64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  return bytes.toString('base64');
}

export function handleEmbeddings(body: unknown, defaultDimension: number): LocalResponse {
  let req: EmbeddingRequest;
  try {
    req = parseEmbeddingRequest(body, defaultDimension);
  } catch (err) {
    if (err instanceof InvalidRequest) return err.toResponse();
    throw err;
  }
  const data = req.inputs.map((text, index) => {
    const vector = embedDense(text, req.dimensions);
    return { object: 'embedding', index, embedding: req.encoding === 'base64' ? toBase64(vector) : Array.from(vector) };
  });
  const tokens = req.inputs.reduce((sum, text) => sum + estimateTokens(text), 0);
  return {
    status: 200,
    body: { object: 'list', data, model: req.model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
  };
}
