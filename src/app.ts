/**
 * buildApp(): the Hono app — request id and logs, the services bag, auth on every /v1 route (admin
 * routes by ADMIN_TOKEN instead), signed QStash callbacks under /jobs, one error envelope.
 */
import { Hono } from 'hono';
import type { Deps } from './deps';
import { notFoundHandler, onError } from './http/envelope';
import { apiKeyAuth } from './http/middleware/auth';
import { payloadLimit } from './http/middleware/body-limit';
import { withDeps } from './http/middleware/deps';
import { requestId } from './http/middleware/request-id';
import { admin } from './http/routes/admin';
import { blocks } from './http/routes/blocks';
import { context } from './http/routes/context';
import { health } from './http/routes/health';
import { ingestWebhooks } from './http/routes/ingest-webhooks';
import { jobs } from './http/routes/jobs';
import { mem0 } from './http/routes/mem0';
import { entities } from './http/routes/entities';
import { memories } from './http/routes/memories';
import { mcp } from './http/routes/mcp';
import { reference } from './http/routes/openapi';
import { sessions } from './http/routes/sessions';
import type { AppEnv } from './http/types';

export function buildApp(build?: (env: Record<string, unknown>) => Deps) {
  const app = new Hono<AppEnv>();
  app.use('*', requestId());
  app.use('*', payloadLimit());
  // /health and the API reference come before the services bag: they answer even with a bad config.
  app.route('/', health);
  app.route('/', reference);
  app.use('*', withDeps(build));
  app.route('/', jobs);
  app.route('/v1/admin', admin);
  // Signed by the sender (Standard Webhooks), not by an API key: mounted, like admin, before the /v1
  // app, whose apiKeyAuth therefore never runs for it.
  app.route('/v1/ingest', ingestWebhooks);

  const v1 = new Hono<AppEnv>();
  v1.use('*', apiKeyAuth());
  v1.route('/', memories);
  v1.route('/', sessions);
  v1.route('/', context);
  v1.route('/', blocks);
  v1.route('/', entities);
  app.route('/v1', v1);
  app.route('/mcp', mcp);
  app.route('/mem0', mem0); // Mem0 platform API shapes, `Authorization: Token <api key>`

  app.notFound(notFoundHandler);
  app.onError(onError);
  return app;
}
