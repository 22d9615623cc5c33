/** ChatModel (and the optional embedder) on any OpenAI-compatible API through the `openai` SDK. */
import type OpenAI from 'openai';
import type { ChatModel } from '../ports';
import { guard } from './guard';

export class OpenAIChatModel implements ChatModel {
  constructor(
    private readonly client: OpenAI,
    private readonly model: string,
  ) {}

  completeJson(req: { system: string; user: string; schemaName: string; schema: Record<string, unknown> }) {
    return guard('llm', async () => {
      const res = await this.client.chat.completions.create({
        model: this.model,
        temperature: 0,
        messages: [
          { role: 'system', content: req.system },
          { role: 'user', content: req.user },
        ],
        response_format: { type: 'json_schema', json_schema: { name: req.schemaName, schema: req.schema, strict: true } },
      });
      return {
        content: res.choices[0]?.message.content ?? '',
        usage: { prompt_tokens: res.usage?.prompt_tokens ?? 0, completion_tokens: res.usage?.completion_tokens ?? 0 },
      };
    });
  }
}

export function openAIEmbedder(client: OpenAI, model: string, dimensions: number) {
  return async (texts: string[]): Promise<number[][]> => {
    const res = await client.embeddings.create({ model, input: texts, dimensions });
    return res.data.sort((a, b) => a.index - b.index).map((d) => d.embedding);
  };
}
