/**
 * Engram's typed client: `import { Engram, EngramAdmin, EngramError } from 'engram/client'`.
 * Fetch-based and dependency-free at run time (types come from the Worker's own schemas and domain).
 *
 *   const engram = new Engram({ baseUrl: 'https://engram.example.com', apiKey: process.env.ENGRAM_KEY! });
 *   await engram.memories.add({ user_id: 'alice', messages: [{ role: 'user', content: 'I am allergic to peanuts' }] });
 *   const { results } = await engram.memories.search({ user_id: 'alice', query: 'suggest a snack' });
 */
export { Engram, type EngramOptions } from './engram';
export { EngramAdmin, type EngramAdminOptions } from './admin';
export { EngramError, type FetchLike } from './http';
export type * from './types';
