/**
 * The knowledge graph's shapes. A fact (or preference) that names entities is an edge: its record,
 * plus `keys`, the entities it links — its subject's and every entity it lists (the object is one of
 * them when the object is an entity, not a value like "spicy food"). Bi-temporal: `valid_at` /
 * `invalid_at` say when it held in the world, `created_at` when Engram learned it and `expired_at`
 * when Engram learned it no longer held (its last update, for a closed fact).
 */
import { type Entity, entityKey } from './entities';
import { iso, type MemoryRecord } from './model';

export interface Edge extends MemoryRecord {
  keys: string[];
}

export interface GraphQuery {
  /** Normalised candidate names (entityKey / queryNames). */
  names: string[];
  /** Epoch ms: which edges are current (valid_at ≤ at < invalid_at, not expired). */
  at: number;
  /** Also the edges that had ended by `at`. */
  history: boolean;
  /** 0: no neighbours; 1: neighbours with shared-edge counts; 2: and their own current edges. */
  depth: 0 | 1 | 2;
  /** Edges per list. */
  limit: number;
  maxEntities: number;
}

export interface EntityView {
  entity: Entity;
  /** Current edges in all (`facts` holds the first `limit`, newest first). */
  total: number;
  facts: Edge[];
  history?: Edge[];
  neighbours?: Array<{ entity: Entity; shared: number; view?: EntityView }>;
}

const uniq = (xs: string[]) => [...new Set(xs)];

/** The entities a record links; none for an episode, or a fact that names none. */
export function edgeKeys(r: MemoryRecord): string[] {
  if (r.kind === 'episode') return [];
  return uniq([r.subject ?? '', ...r.entities].map(entityKey).filter(Boolean));
}

/** The stored edge of a record, or null when it links no entity. */
export function toEdge(r: MemoryRecord): Edge | null {
  const keys = edgeKeys(r);
  if (keys.length === 0) return null;
  const { context: _context, ...rest } = r;
  return { ...rest, keys };
}

/** The public shape of an edge. */
export function toApiEdge(e: Edge) {
  return {
    id: e.id,
    subject: e.subject ?? null,
    predicate: e.predicate ?? null,
    object: e.object ?? null,
    fact: e.text,
    kind: e.kind,
    valid_at: iso(e.valid_at),
    invalid_at: iso(e.invalid_at) ?? null,
    created_at: iso(e.created_at),
    expired_at: e.invalid_at !== undefined ? iso(e.updated_at) : null,
    entities: e.entities,
  };
}

export function toApiEntity(e: Entity) {
  return { name: e.name, type: e.type, aliases: e.aliases, created_at: iso(e.created_at), updated_at: iso(e.updated_at) };
}
