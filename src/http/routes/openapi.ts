import { Hono } from 'hono';
import document from '../openapi/openapi.json';
import type { AppEnv } from '../types';

/** The viewer is loaded from a CDN by the browser, so it adds nothing to the Worker. Major version pinned. */
const VIEWER = 'https://cdn.jsdelivr.net/npm/@scalar/api-reference@1';

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Engram API reference</title>
</head>
<body>
<div id="app"></div>
<script src="${VIEWER}"></script>
<script>Scalar.createApiReference('#app', { url: './openapi.json' })</script>
</body>
</html>`;

const CACHE = { 'cache-control': 'public, max-age=300' };
let text: string | undefined;

/**
 * GET /openapi.json and GET /docs: public, no services needed. The document is generated at build
 * time (scripts/openapi.ts) and serialised once per isolate. It names no server: clients resolve paths
 * against the origin they fetched it from.
 */
export const reference = new Hono<AppEnv>()
  .get('/openapi.json', (c) => c.body((text ??= JSON.stringify(document)), 200, { ...CACHE, 'content-type': 'application/json; charset=utf-8' }))
  .get('/docs', (c) => c.html(PAGE, 200, CACHE));
