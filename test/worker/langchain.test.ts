/**
 * The LangChain.js integration (src/integrations/langchain.ts) running inside LangChain's own classes —
 * BaseRetriever.invoke, Runnable pipes, RunnableWithMessageHistory — against the real Worker through
 * the typed client. Facts come from the local LLM's rule-based extraction (sync ingest, or the drained
 * queue after an async ingest).
 */
import { Document } from '@langchain/core/documents';
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage, ToolMessage } from '@langchain/core/messages';
import { RunnableLambda, RunnableWithMessageHistory } from '@langchain/core/runnables';
import { exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engram, EngramError } from '../../src/client';
import { EngramChatMessageHistory, EngramRetriever } from '../../src/integrations/langchain';
import { drainQueue, ORIGIN } from './helpers';
import { usePeanutsFixture } from './integration-fixture';

const fetchWorker = (request: Request) => exports.default.fetch(request);
const fx = usePeanutsFixture((engram, alice) => engram.memories.add({ user_id: alice, mode: 'sync', messages: [{ role: 'user', content: 'I prefer Python over JavaScript' }] }).then(() => undefined));
const { alice, bob } = fx;
let engram: Engram;
let peanutsId: string;
beforeAll(() => {
  ({ engram, peanutsId } = fx);
});

describe('EngramRetriever', () => {
  it('answers invoke(query) with the scope\'s memories as Documents, best first, the memory fields as metadata', async () => {
    const retriever = new EngramRetriever({ client: engram, user_id: alice, kinds: ['fact', 'preference'] });
    const docs = await retriever.invoke('suggest a snack, any allergies?');
    expect(docs[0]).toBeInstanceOf(Document);
    expect(docs[0]!.pageContent).toMatch(/peanuts/i);
    expect(docs[0]!.id).toBe(peanutsId);
    expect(docs[0]!.metadata).toMatchObject({ id: peanutsId, kind: 'fact', user_id: alice, score: expect.any(Number), valid_at: expect.any(String), source_ids: expect.any(Array) });
    expect(docs[0]!.metadata).not.toHaveProperty('memory');
    const scores = docs.map((d) => d.metadata.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('passes its search options through: top_k, kinds and filters narrow the answer', async () => {
    expect(await new EngramRetriever({ client: engram, user_id: alice, top_k: 1 }).invoke('allergies and programming languages')).toHaveLength(1);
    const prefs = await new EngramRetriever({ client: engram, user_id: alice, kinds: ['preference'] }).invoke('programming language');
    expect(prefs.length).toBeGreaterThan(0);
    expect(prefs.every((d) => d.metadata.kind === 'preference')).toBe(true);
    expect(prefs.map((d) => d.id)).not.toContain(peanutsId);
    const filtered = await new EngramRetriever({ client: engram, user_id: alice, filters: { id: { ne: peanutsId } } }).invoke('peanuts allergy');
    expect(filtered.map((d) => d.id)).not.toContain(peanutsId);
  });

  it('sees only its own scope', async () => {
    expect(await new EngramRetriever({ client: engram, user_id: bob }).invoke('peanuts allergy')).toEqual([]);
  });

  it('composes as a Runnable: piped into a formatter', async () => {
    const chain = new EngramRetriever({ client: engram, user_id: alice, kinds: ['fact'] }).pipe(RunnableLambda.from((docs: Document[]) => docs.map((d) => `- ${d.pageContent}`).join('\n')));
    expect(await chain.invoke('food allergies')).toMatch(/^- .*peanuts/im);
  });

  it('rejects with EngramError when Engram refuses the call', async () => {
    const stranger = new Engram({ baseUrl: ORIGIN, apiKey: 'egk_not-a-key', fetch: fetchWorker });
    const err = await new EngramRetriever({ client: stranger, user_id: alice }).invoke('peanuts').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngramError);
    expect(err).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });
});

describe('EngramChatMessageHistory', () => {
  it('round-trips the conversation, extracts facts from it, and clear() empties only the session', async () => {
    const history = new EngramChatMessageHistory({ client: engram, user_id: bob, run_id: 'chat-1' });
    await history.addMessages([
      new SystemMessage('You are a cooking assistant.'),
      new HumanMessage({ content: "I'm allergic to shellfish", id: 'm-1' }),
      new AIMessage({ content: '', tool_calls: [{ id: 'c1', name: 'lookup', args: {} }] }),
      new ToolMessage({ content: 'lookup result', tool_call_id: 'c1' }),
      new AIMessage('Noted: no shellfish.'),
    ]);
    await history.addUserMessage('Suggest a dinner.');

    const messages = await history.getMessages();
    expect(messages.map((m) => [m.getType(), m.text])).toEqual([
      ['system', 'You are a cooking assistant.'],
      ['human', "I'm allergic to shellfish"],
      ['ai', 'Noted: no shellfish.'],
      ['human', 'Suggest a dinner.'],
    ]);
    expect(messages[1]).toBeInstanceOf(HumanMessage);
    expect(messages[1]!.id).toBe('m-1');

    // The same message again (same id) adds nothing.
    await history.addMessage(new HumanMessage({ content: "I'm allergic to shellfish", id: 'm-1' }));
    expect(await history.getMessages()).toHaveLength(4);

    // The ingest was async: extraction runs when QStash delivers it.
    await drainQueue();
    const facts = await new EngramRetriever({ client: engram, user_id: bob, kinds: ['fact'] }).invoke('seafood allergy');
    expect(facts.map((d) => d.pageContent).join(' ')).toMatch(/shellfish/i);

    await history.clear();
    expect(await history.getMessages()).toEqual([]);
    expect(await new EngramRetriever({ client: engram, user_id: bob, kinds: ['fact'] }).invoke('seafood allergy')).not.toEqual([]);
  });

  it('keeps sessions apart', async () => {
    await new EngramChatMessageHistory({ client: engram, user_id: bob, run_id: 'chat-a' }).addUserMessage('Only in session a');
    expect(await new EngramChatMessageHistory({ client: engram, user_id: bob, run_id: 'chat-b' }).getMessages()).toEqual([]);
    expect(await new EngramChatMessageHistory({ client: engram, user_id: alice, run_id: 'chat-a' }).getMessages()).toEqual([]);
    await drainQueue();
  });

  it('serves RunnableWithMessageHistory: the second call sees the first exchange', async () => {
    const seen: string[][] = [];
    // A stand-in chat model: answers with how many messages it was given, and records them.
    const model = RunnableLambda.from((messages: BaseMessage[]) => {
      seen.push(messages.map((m) => m.text));
      return new AIMessage(`I saw ${messages.length} messages.`);
    });
    const chat = new RunnableWithMessageHistory({
      runnable: model,
      getMessageHistory: (sessionId: string) => new EngramChatMessageHistory({ client: engram, user_id: bob, run_id: sessionId }),
    });
    const config = { configurable: { sessionId: 'chat-2' } };
    await chat.invoke([new HumanMessage('Hello, I live in Lisbon.')], config);
    await chat.invoke([new HumanMessage('Where do I live?')], config);

    expect(seen[1]).toEqual(['Hello, I live in Lisbon.', 'I saw 1 messages.', 'Where do I live?']);
    const stored = await new EngramChatMessageHistory({ client: engram, user_id: bob, run_id: 'chat-2' }).getMessages();
    expect(stored.map((m) => m.text)).toEqual(['Hello, I live in Lisbon.', 'I saw 1 messages.', 'Where do I live?', 'I saw 3 messages.']);
    await drainQueue();
  });
});
