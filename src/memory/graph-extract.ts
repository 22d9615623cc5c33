/**
 * The graph side of an extraction, before planning. Pure: the model's names are resolved against
 * the scope's entities (entities.ts) and every operation is rewritten to use canonical names, so
 * "Bob" and "Robert Smith" become one entity's edges. An object joins the graph only when it is
 * named as an entity (in the operation's or the answer's entities, or already known); otherwise it
 * is a value ("spicy food") and the fact links its subject alone.
 */
import { type Entity, type EntityDirectory, entityKey, type Mention, resolveMentions } from './entities';
import type { ExtractionOperation, ExtractionOutput } from './extraction-schema';

export interface GraphChanges {
  output: ExtractionOutput;
  entities: Entity[];
  aliases: Array<[alias: string, key: string]>;
}

const uniq = (xs: string[]) => [...new Set(xs)];

export function resolveOutput(dir: EntityDirectory, output: ExtractionOutput, now: number): GraphChanges {
  const named = new Set([...output.entities.map((e) => entityKey(e.name)), ...output.operations.flatMap((op) => op.entities.map(entityKey))]);
  const isEntity = (name: string | null): name is string => {
    const k = name ? entityKey(name) : '';
    return k !== '' && (named.has(k) || Boolean(dir.aliases.get(k)));
  };
  const mentions: Mention[] = [
    ...output.entities.map((e) => ({ name: e.name, type: e.type, aliases: e.aliases })),
    ...output.operations.flatMap((op) => [
      ...(op.subject ? [{ name: op.subject }] : []),
      ...(isEntity(op.object) ? [{ name: op.object }] : []),
      ...op.entities.map((name) => ({ name })),
    ]),
  ];
  const res = resolveMentions(dir, mentions, now);
  const canonical = (name: string) => res.resolve(name)?.name ?? name;

  const rewrite = (op: ExtractionOperation): ExtractionOperation => {
    const subject = op.subject ? canonical(op.subject) : null;
    const object = op.object && isEntity(op.object) ? canonical(op.object) : op.object;
    const linked = [...op.entities.map(canonical), ...(object !== null && isEntity(op.object) ? [object] : [])];
    return { ...op, subject, object, entities: uniq(linked.filter((n) => entityKey(n) !== entityKey(subject ?? ''))) };
  };
  return { output: { ...output, operations: output.operations.map(rewrite) }, entities: res.changed, aliases: res.aliasWrites };
}
