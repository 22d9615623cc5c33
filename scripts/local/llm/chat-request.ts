/**
 * Parsing a `POST /v1/chat/completions` body the way OpenAI checks it, with its error messages, so a
 * client bug shows up here as it would against the real API. Only text content is supported; image,
 * audio and file parts, and `stream: true`, are refused with a 400 that names the local stand-in.
 * Sampling options (temperature, seed, max_tokens …) and tools are accepted and ignored.
 */
import { InvalidRequest } from './errors.js';
import type { JsonSchema } from './json-schema.js';

export interface ChatMessage {
  role: string;
  /** The text of the message, parts joined. */
  content: string;
}

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: JsonSchema; strict: boolean };

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  responseFormat: ResponseFormat;
  n: number;
}

const ROLES = ['system', 'developer', 'user', 'assistant', 'tool', 'function'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function parseChatRequest(body: unknown): ChatRequest {
  if (!isRecord(body)) throw new InvalidRequest('The request body must be a JSON object.');
  if (typeof body.model !== 'string' || body.model.length === 0) throw new InvalidRequest('you must provide a model parameter');
  if (body.stream === true) {
    const message = 'stream=true is not supported by the local LLM stand-in (rule-based, offline); call without streaming.';
    throw new InvalidRequest(message, 'stream', 'unsupported_parameter');
  }
  const messages = parseMessages(body.messages);
  const responseFormat = parseResponseFormat(body.response_format);
  if (responseFormat.type === 'json_object' && !messages.some((m) => /json/i.test(m.content))) {
    const message = "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.";
    throw new InvalidRequest(message, 'messages');
  }
  const n = body.n ?? 1;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 128) {
    throw new InvalidRequest(`Invalid 'n': ${JSON.stringify(n)}.`, 'n', 'invalid_value');
  }
  return { model: body.model, messages, responseFormat, n };
}

function parseMessages(raw: unknown): ChatMessage[] {
  if (raw === undefined) throw new InvalidRequest("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  if (!Array.isArray(raw)) throw new InvalidRequest("Invalid type for 'messages': expected an array.", 'messages', 'invalid_type');
  if (raw.length === 0) {
    const message = "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.";
    throw new InvalidRequest(message, 'messages', 'empty_array');
  }
  return raw.map(parseMessage);
}

function parseMessage(raw: unknown, i: number): ChatMessage {
  const at = `messages[${i}]`;
  if (!isRecord(raw)) throw new InvalidRequest(`Invalid type for '${at}': expected an object.`, at, 'invalid_type');
  if (typeof raw.role !== 'string' || !ROLES.includes(raw.role)) {
    const supported = "'system', 'assistant', 'user', 'function', 'tool', and 'developer'";
    throw new InvalidRequest(`Invalid value: ${JSON.stringify(raw.role)}. Supported values are: ${supported}.`, `${at}.role`, 'invalid_value');
  }
  return { role: raw.role, content: contentText(raw.content, raw.role, at) };
}

function contentText(content: unknown, role: string, at: string): string {
  if (typeof content === 'string') return content;
  if ((content === null || content === undefined) && role === 'assistant') return '';
  if (!Array.isArray(content)) {
    const message = `Invalid type for '${at}.content': expected a string or an array of content parts.`;
    throw new InvalidRequest(message, `${at}.content`, 'invalid_type');
  }
  return content
    .map((part: unknown, j) => {
      if (isRecord(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
      const type = isRecord(part) ? String(part.type) : typeof part;
      const message = `content part type '${type}' is not supported by the local LLM stand-in (text only).`;
      throw new InvalidRequest(message, `${at}.content[${j}]`, 'unsupported_value');
    })
    .join('\n');
}

function parseResponseFormat(raw: unknown): ResponseFormat {
  if (raw === undefined || raw === null) return { type: 'text' };
  if (!isRecord(raw)) {
    throw new InvalidRequest("Invalid type for 'response_format': expected an object.", 'response_format', 'invalid_type');
  }
  if (raw.type === 'text' || raw.type === 'json_object') return { type: raw.type };
  if (raw.type !== 'json_schema') {
    const message = `Invalid value: ${JSON.stringify(raw.type)}. Supported values are: 'text', 'json_object', and 'json_schema'.`;
    throw new InvalidRequest(message, 'response_format.type', 'invalid_value');
  }
  const spec = raw.json_schema;
  const at = 'response_format.json_schema';
  if (!isRecord(spec)) throw new InvalidRequest(`Missing required parameter: '${at}'.`, at, 'missing_required_parameter');
  if (typeof spec.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(spec.name)) {
    throw new InvalidRequest(`Invalid '${at}.name': must match ^[a-zA-Z0-9_-]{1,64}$.`, `${at}.name`, 'invalid_value');
  }
  if (!isRecord(spec.schema)) {
    throw new InvalidRequest(`Missing required parameter: '${at}.schema'.`, `${at}.schema`, 'missing_required_parameter');
  }
  return { type: 'json_schema', name: spec.name, schema: spec.schema, strict: spec.strict === true };
}
