/**
 * The OpenAPI document the Worker serves is generated at build time from the route registry: the
 * committed src/http/openapi/openapi.json must be what the registry builds now.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentText } from '../../src/http/openapi/document';

describe('openapi.json', () => {
  it('is up to date with the route registry (else run: npx tsx scripts/openapi.ts)', () => {
    const committed = readFileSync(new URL('../../src/http/openapi/openapi.json', import.meta.url), 'utf8');
    expect(committed === documentText(), 'src/http/openapi/openapi.json is stale: run npx tsx scripts/openapi.ts').toBe(true);
  });
});
