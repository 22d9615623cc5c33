import { Hono } from 'hono';
import { openapiDocument } from '../openapi/document';
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

/**
 * GET /openapi.json and GET /docs: public, no services needed. The document is built once per isolate;
 * only `servers` is per request (the origin the caller reached us at).
 */
export const reference = new Hono<AppEnv>()
  .get('/openapi.json', (c) => c.json({ ...openapiDocument(), servers: [{ url: new URL(c.req.url).origin }] }, 200, { 'cache-control': 'public, max-age=300' }))
  .get('/docs', (c) => c.html(PAGE, 200, { 'cache-control': 'public, max-age=300' }));
