/**
 * Rule mode's answers, for when no scripted response is queued. This is an offline stand-in, NOT a
 * language model, and says so: answers are labelled with the model `engram-local-rules` and the
 * fingerprint `local-rule-based-stand-in`.
 *   - json_schema named `engram_extraction` → the rule-based extractor (extraction.ts);
 *   - any other json_schema → the smallest value that validates;
 *   - json_object → `{}`;
 *   - text → a short deterministic echo: "[local stand-in] …".
 * Every JSON answer is validated against the request's schema before it leaves: a failure is our bug,
 * reported as a 500 rather than handed to the client as if a model had made it up.
 */
import { EXTRACTION_SCHEMA_NAME } from '../../../src/memory/extraction-schema.js';
import type { ChatRequest } from './chat-request.js';
import { answerExtraction } from './extraction.js';
import { minimalValue, validate } from './json-schema.js';

export const RULES_MODEL = 'engram-local-rules';
export const RULES_FINGERPRINT = 'local-rule-based-stand-in';

const ECHO_CHARS = 200;

export type RuleAnswer = { ok: true; content: string } | { ok: false; message: string };

export function ruleAnswer(req: ChatRequest, now: Date): RuleAnswer {
  const lastUser = [...req.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const format = req.responseFormat;
  if (format.type === 'text') {
    const said = lastUser.replace(/\s+/g, ' ').trim();
    const echo = said.length > ECHO_CHARS ? `${said.slice(0, ECHO_CHARS)}…` : said;
    return { ok: true, content: `[local stand-in] rule-based offline responder, not a language model. Received: "${echo}"` };
  }
  if (format.type === 'json_object') return { ok: true, content: '{}' };
  const answer = format.name === EXTRACTION_SCHEMA_NAME ? answerExtraction(lastUser, now) : minimalValue(format.schema);
  const errors = validate(format.schema, answer);
  if (errors.length > 0) {
    const problems = errors.slice(0, 5).join('; ');
    return { ok: false, message: `local LLM stand-in bug: its answer does not match the '${format.name}' schema: ${problems}` };
  }
  return { ok: true, content: JSON.stringify(answer) };
}
