/**
 * Content-derived ids, so a replayed job upserts the same records instead of adding copies.
 * A synchronous 2×53-bit hash (cyrb53 construction, two seeds) gives ~106 bits: collisions between
 * memories of one scope are not a practical concern, and no await is needed inside pure planning code.
 */
import { primaryScope } from './keys';
import type { Kind, Scope } from './model';

function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function hashId(text: string): string {
  return cyrb53(text, 1).toString(16).padStart(14, '0') + cyrb53(text, 2).toString(16).padStart(14, '0');
}

/** Lowercase, collapse whitespace, drop trailing punctuation: "Works at  Google." ≡ "works at google". */
export function normaliseText(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim().replace(/[.!?;,]+$/, '');
}

const scopeTag = (s: Scope) => `${primaryScope(s)}|${s.agent_id ?? ''}|${s.run_id ?? ''}`;

/** From the content; `validAt` distinguishes the windows of a fact that held more than once. */
export function memoryId(scope: Scope, kind: Kind, text: string, validAt?: number): string {
  return `mem_${hashId(`${scopeTag(scope)}|${kind}|${normaliseText(text)}${validAt === undefined ? '' : `|${validAt}`}`)}`;
}

export function episodeId(scope: Scope, turnId: string): string {
  return `mem_${hashId(`${scopeTag(scope)}|episode|${turnId}`)}`;
}

export function turnId(role: string, content: string, createdAt: number): string {
  return `msg_${hashId(`${role}|${createdAt}|${content}`)}`;
}
