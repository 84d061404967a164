import { parse as parseYaml } from 'yaml';

/** Metadata a document may declare in YAML front matter; every field optional. */
export interface FrontMatter {
  title?: string;
  outlet?: string;
  published?: string;
  url?: string;
  author?: string;
}

export interface FrontMatterOutcome {
  fields: FrontMatter;
  /** Offset where the body starts (0 when there is no front matter). */
  bodyStart: number;
  warning?: string;
}

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/m;

function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number') return String(value);
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  return undefined;
}

/**
 * Reads YAML front matter delimited by `---` lines at the very start of the
 * text. Malformed YAML is reported as a warning and the block is still
 * skipped as non-content, so its keys never leak into the index.
 */
export function readFrontMatter(text: string): FrontMatterOutcome {
  const open = OPENING.exec(text);
  if (!open) return { fields: {}, bodyStart: 0 };
  const rest = text.slice(open[0].length);
  const close = CLOSING.exec(rest);
  if (!close) return { fields: {}, bodyStart: 0 };
  const yamlText = rest.slice(0, close.index);
  const bodyStart = open[0].length + close.index + close[0].length;
  let data: unknown;
  try {
    data = parseYaml(yamlText);
  } catch (error) {
    return { fields: {}, bodyStart, warning: `front matter is not valid YAML (${(error as Error).message.split('\n')[0]})` };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { fields: {}, bodyStart, warning: 'front matter is not a YAML mapping' };
  }
  const record = data as Record<string, unknown>;
  const fields: FrontMatter = {};
  const title = asString(record.title);
  const outlet = asString(record.outlet ?? record.source ?? record.publisher);
  const published = asString(record.published ?? record.date);
  const url = asString(record.url ?? record.link);
  const author = asString(record.author ?? record.byline);
  if (title) fields.title = title;
  if (outlet) fields.outlet = outlet;
  if (published) fields.published = published;
  if (url) fields.url = url;
  if (author) fields.author = author;
  return { fields, bodyStart };
}
