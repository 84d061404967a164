/**
 * How a document's entity is saved in the snapshot (src/engine/snapshot.ts),
 * one JSON value per entity: `[name, kind, aliases, mentions, descriptions]`,
 * where a span list is `[start, length, start, length, …]` when every span in
 * it is the document's own text at that range and holds nothing else, and the
 * spans as they are otherwise; a sixth element holds any other field. The
 * snapshot keeps these bytes and parses an entity when an answer reads it; as
 * objects with field names and texts they took 51 MB at BBC ×10, so 14 MB.
 */
import type { DocumentEntity } from '../analysis/people.js';
import { detached } from '../corpus/detach.js';

type Span = { start: number; end: number; text: string };
type SavedSpans = number[] | Span[];
type SavedEntity = [string, string, string[], SavedSpans, SavedSpans] | [string, string, string[], SavedSpans, SavedSpans, Record<string, unknown>];

const FIELDS = new Set(['name', 'kind', 'aliases', 'mentions', 'descriptions']);

function saveSpans(spans: readonly Span[], text: string): SavedSpans {
  const flat: number[] = [];
  for (const span of spans) {
    if (Object.keys(span).length !== 3 || text.slice(span.start, span.end) !== span.text) return spans as Span[];
    flat.push(span.start, span.end - span.start);
  }
  return flat;
}

function readSpans(saved: SavedSpans, text: string): Span[] {
  if (saved.length === 0 || typeof saved[0] !== 'number') return saved as Span[];
  const flat = saved as number[];
  const out: Span[] = new Array<Span>(flat.length / 2);
  for (let k = 0; k < flat.length; k += 2) {
    const start = flat[k]!;
    const end = start + flat[k + 1]!;
    out[k / 2] = { start, end, text: detached(text.slice(start, end)) };
  }
  return out;
}

/** The JSON an entity is saved as, given its document's text. */
export function savedEntityJson(entity: DocumentEntity, text: string): string {
  const fields: SavedEntity = [entity.name, entity.kind, entity.aliases, saveSpans(entity.mentions, text), saveSpans(entity.descriptions, text)];
  const rest = Object.entries(entity).filter(([key]) => !FIELDS.has(key));
  return JSON.stringify(rest.length > 0 ? [...fields, Object.fromEntries(rest)] : fields);
}

/** The entity `savedEntityJson` saved, given its document's text. */
export function readSavedEntity(json: string, text: string): DocumentEntity {
  const saved = JSON.parse(json) as SavedEntity;
  if (!Array.isArray(saved) || saved.length < 5) throw new Error('snapshot: an entity is not in the saved form');
  const entity = {
    name: saved[0],
    kind: saved[1],
    aliases: saved[2],
    mentions: readSpans(saved[3], text),
    descriptions: readSpans(saved[4], text),
  } as DocumentEntity;
  return saved[5] ? Object.assign(entity, saved[5]) : entity;
}
