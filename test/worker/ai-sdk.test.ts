/**
 * The AI SDK integration (src/integrations/ai-sdk.ts) driven by the AI SDK's own `generateText` loop:
 * a mock language model (the SDK's MockLanguageModelV3) asks for Engram's tools, the SDK runs them
 * against the real Worker through the typed client, and the model's next step reads their results
 * from its prompt. Facts come from the local LLM's rule-based extraction.
 */
import { generateText, stepCountIs } from 'ai';
import { MockLanguageModelV3 } from 'ai/test';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engram, EngramError } from '../../src/client';
import { engramContext, engramTools } from '../../src/integrations/ai-sdk';
import { drainQueue } from './helpers';
import { usePeanutsFixture } from './integration-fixture';

const fx = usePeanutsFixture();
const { alice, bob } = fx;
let engram: Engram;
let peanutsId: string;
beforeAll(() => {
  ({ engram, peanutsId } = fx);
});

type CallOptions = Parameters<MockLanguageModelV3['doGenerate']>[0];
type GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;

const usage = { inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 }, outputTokens: { total: 5, text: 5, reasoning: 0 } };
const answer = (content: GenerateResult['content'], unified: 'stop' | 'tool-calls'): GenerateResult => ({ content, finishReason: { unified, raw: unified }, usage, warnings: [] });

/** The output of the last tool result in the prompt, as the SDK hands it to the model. */
function lastToolOutput(options: CallOptions): { type: string; value: unknown } {
  const parts = options.prompt.flatMap((m) => (m.role === 'tool' ? m.content : []));
  const last = parts.at(-1);
  if (!last || last.type !== 'tool-result') throw new Error('no tool result in the prompt');
  return last.output as { type: string; value: unknown };
}

/** A model that first calls one tool, then answers with a text made from what the tool returned. */
function callsThenAnswers(toolName: string, input: object, reply: (output: { type: string; value: unknown }) => string) {
  return new MockLanguageModelV3({
    doGenerate: async (options) =>
      options.prompt.some((m) => m.role === 'tool')
        ? answer([{ type: 'text', text: reply(lastToolOutput(options)) }], 'stop')
        : answer([{ type: 'tool-call', toolCallId: 'call-1', toolName, input: JSON.stringify(input) }], 'tool-calls'),
  });
}

describe('engramTools in generateText', () => {
  it('searchMemory: the model asks, the SDK searches Engram, and the answer uses the memory', async () => {
    const model = callsThenAnswers('searchMemory', { query: 'food allergies', kinds: ['fact'] }, (out) => {
      const { memories } = out.value as { memories: Array<{ memory: string }> };
      return `Avoid this: ${memories[0]!.memory}`;
    });
    const result = await generateText({ model, tools: engramTools(engram, { user_id: alice }), prompt: 'Suggest a snack.', stopWhen: stepCountIs(3) });

    expect(result.steps).toHaveLength(2);
    const [call] = result.steps[0]!.toolResults;
    expect(call).toMatchObject({ toolName: 'searchMemory', input: { query: 'food allergies', kinds: ['fact'] } });
    expect(call!.output).toEqual({ memories: [expect.objectContaining({ id: peanutsId, kind: 'fact', memory: expect.stringMatching(/peanuts/i), score: expect.any(Number), valid_at: expect.any(String) })] });
    expect(result.text).toMatch(/^Avoid this: .*peanuts/i);
    // What the model was offered: the tools by name with their JSON Schemas.
    const offered = model.doGenerateCalls[0]!.tools!.map((t) => t.name).sort();
    expect(offered).toEqual(['addMemory', 'getContext', 'searchMemory', 'updateBlock']);
  });

  it('searchMemory is bound to its scope: another user\'s tools find nothing', async () => {
    const model = callsThenAnswers('searchMemory', { query: 'peanuts allergy' }, (out) => JSON.stringify(out.value));
    const result = await generateText({ model, tools: engramTools(engram, { user_id: bob }), prompt: 'Any allergies?', stopWhen: stepCountIs(3) });
    expect(result.steps[0]!.toolResults[0]!.output).toEqual({ memories: [] });
  });

  it('addMemory ingests what the model saves; the fact is extracted in the background', async () => {
    const model = callsThenAnswers('addMemory', { text: "I'm allergic to shellfish" }, () => 'Saved.');
    const result = await generateText({ model, tools: engramTools(engram, { user_id: bob, run_id: 'r1' }), prompt: 'Remember my allergy.', stopWhen: stepCountIs(3) });
    expect(result.steps[0]!.toolResults[0]!.output).toEqual({ event_id: expect.stringMatching(/^evt_/), status: 'queued' });
    expect((await engram.sessions.get('r1', { user_id: bob })).messages.map((m) => m.content)).toEqual(["I'm allergic to shellfish"]);

    await drainQueue();
    const { results } = await engram.memories.search({ user_id: bob, query: 'seafood allergy', kinds: ['fact'] });
    expect(results.map((m) => m.memory).join(' ')).toMatch(/shellfish/i);
  });

  it('addMemory in sync mode answers with what extraction added', async () => {
    const model = callsThenAnswers('addMemory', { text: 'I prefer tea over coffee' }, () => 'Saved.');
    const result = await generateText({ model, tools: engramTools(engram, { user_id: bob }, { mode: 'sync' }), prompt: 'Remember this.', stopWhen: stepCountIs(3) });
    expect(result.steps[0]!.toolResults[0]!.output).toEqual({ status: 'succeeded', event_id: expect.any(String), memories: [expect.objectContaining({ event: 'ADD', memory: expect.stringMatching(/tea/i) })] });
  });

  it('getContext returns Engram\'s prompt section for the question', async () => {
    const model = callsThenAnswers('getContext', { query: 'what can I eat?' }, (out) => (out.value as { context: string }).context);
    const result = await generateText({ model, tools: engramTools(engram, { user_id: alice }), prompt: 'What can I eat?', stopWhen: stepCountIs(3) });
    expect(result.text).toMatch(/peanuts/i);
  });

  it('updateBlock appends to and replaces in a core memory block; a bad replace reaches the model as the tool\'s error', async () => {
    await engram.blocks.put('human', { user_id: alice }, { value: 'Name: Alice.', limit: 500 });
    const tools = engramTools(engram, { user_id: alice });
    const append = callsThenAnswers('updateBlock', { label: 'human', operation: 'append', text: 'Lives in Porto.' }, () => 'ok');
    await generateText({ model: append, tools, prompt: 'I moved to Porto.', stopWhen: stepCountIs(3) });
    const replace = callsThenAnswers('updateBlock', { label: 'human', operation: 'replace', old: 'Porto', text: 'Lisbon' }, () => 'ok');
    await generateText({ model: replace, tools, prompt: 'Actually Lisbon.', stopWhen: stepCountIs(3) });
    expect((await engram.blocks.get('human', { user_id: alice })).value).toBe('Name: Alice.\nLives in Lisbon.');

    const bad = callsThenAnswers('updateBlock', { label: 'human', operation: 'replace', old: 'Madrid', text: 'Rome' }, (out) => `error: ${JSON.stringify(out)}`);
    const result = await generateText({ model: bad, tools, prompt: 'x', stopWhen: stepCountIs(3) });
    const error = result.steps[0]!.content.find((p) => p.type === 'tool-error');
    expect(error).toBeDefined();
    expect((error as { error: unknown }).error).toBeInstanceOf(EngramError);
    expect((error as { error: EngramError }).error).toMatchObject({ status: 409, code: 'CONFLICT' });
    expect(result.text).toMatch(/^error: .*error-text/);
    expect((await engram.blocks.get('human', { user_id: alice })).value).toBe('Name: Alice.\nLives in Lisbon.');
  });

  it('offers no updateBlock for a run-only scope (blocks belong to a user or an agent)', () => {
    expect(Object.keys(engramTools(engram, { run_id: 'r1' })).sort()).toEqual(['addMemory', 'getContext', 'searchMemory']);
  });
});

describe('engramContext', () => {
  it('gives the system prompt section that generateText passes to the model', async () => {
    const system = await engramContext(engram, { user_id: alice }, 'suggest a snack');
    expect(system).toMatch(/peanuts/i);
    const model = new MockLanguageModelV3({ doGenerate: async () => answer([{ type: 'text', text: 'Try an apple.' }], 'stop') });
    await generateText({ model, system, prompt: 'Suggest a snack.' });
    expect(model.doGenerateCalls[0]!.prompt[0]).toEqual({ role: 'system', content: system });
  });
});
