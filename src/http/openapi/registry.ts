/**
 * The route registry: every public route declared once, with the same zod schemas the route validates
 * with. document.ts turns the list into OpenAPI 3.1; test/worker/openapi.test.ts checks that every
 * route the Hono app registers is here (and nothing else is), and sends each example to the Worker.
 *
 * Adding a route: write its entry with `route({...})` in the file of its area under ./paths (or a new
 * file, added to ROUTES below); route.ts describes each field. Request schemas come from
 * src/http/schemas.ts, response schemas from ./responses.ts. Error codes that every route of its auth
 * kind can answer are added by document.ts (`commonErrors`): list only the route's own (NOT_FOUND …).
 */
import { adminRoutes } from './paths/admin';
import { blockRoutes } from './paths/blocks';
import { contextRoutes } from './paths/context';
import { entityRoutes } from './paths/entities';
import { memoryRoutes } from './paths/memories';
import { serviceRoutes } from './paths/service';
import { sessionRoutes } from './paths/sessions';
import { webhookRoutes } from './paths/webhooks';
import type { RouteDoc } from './route';

/**
 * Path prefixes left out of the document: /jobs/ are QStash callbacks (signed by QStash, called by
 * nothing else); /mem0/ speaks Mem0's platform API to Mem0's own clients, whose reference is Mem0's.
 */
export const UNDOCUMENTED_PREFIXES = ['/jobs/', '/mem0/'];

export const TAGS = [
  { name: 'Context', description: 'The call an agent makes before every model call.' },
  { name: 'Memories', description: 'Ingest conversation turns, search and manage long-term memories.' },
  { name: 'Events', description: 'The background extraction an asynchronous ingest started.' },
  { name: 'Sessions', description: 'The working-memory buffer: the recent turns of one session (run_id).' },
  { name: 'Entities', description: 'The temporal knowledge graph: entities, their facts as edges, and what was true when.' },
  { name: 'Blocks', description: 'Core memory blocks: named, size-limited texts put in every prompt, per user or agent.' },
  { name: 'Webhooks', description: 'Signed webhook ingestion, its sources, and outbound webhooks for memory and event changes.' },
  { name: 'Admin', description: 'Minting and revoking API keys; ADMIN_TOKEN only.' },
  { name: 'MCP', description: 'The memory tools over the Model Context Protocol (Streamable HTTP).' },
  { name: 'Service', description: 'Health and this reference.' },
];

export const ROUTES: RouteDoc[] = [...contextRoutes, ...memoryRoutes, ...sessionRoutes, ...blockRoutes, ...entityRoutes, ...webhookRoutes, ...adminRoutes, ...serviceRoutes];
