/**
 * Writes the OpenAPI document the Worker serves (src/http/openapi/openapi.json) from the route
 * registry. Run after changing a route, a schema or the registry: `npx tsx scripts/openapi.ts`.
 * `--check` writes nothing and exits 1 when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { documentText } from '../src/http/openapi/document';

const target = fileURLToPath(new URL('../src/http/openapi/openapi.json', import.meta.url));
const text = documentText();
let current = '';
try {
  current = readFileSync(target, 'utf8');
} catch {
  // No file yet: it is written below (or reported stale with --check).
}

if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error(`${target} is stale: run npx tsx scripts/openapi.ts`);
    process.exit(1);
  }
  console.log('openapi.json is up to date');
} else if (current === text) {
  console.log('openapi.json is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target} (${text.length} bytes)`);
}
