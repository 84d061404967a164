/**
 * INTERIM, until the extract branch's `src/sources/extract/index.ts` is merged:
 * a crude HTML → article reader (headline from <h1>, paragraphs from <p>,
 * canonical link, <time datetime>, og:site_name) so live sources can be built
 * and tested end to end. It is not the extractor: src/sources/article.ts is the
 * one line to switch, and this file goes then.
 */
export interface ExtractedArticle {
  title: string | null; outlet: string | null; published: string | null; author: string | null;
  canonical: string | null; language: string | null; text: string; paragraphs: string[]; error: string | null;
}
export function extractArticle(html: string, _options: { url?: string | null } = {}): ExtractedArticle {
  const title = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1]?.replace(/<[^>]+>/g, '').trim() ?? null;
  const canonical = /<link[^>]+rel=["']canonical["'][^>]+href=["']([^"']+)/i.exec(html)?.[1] ?? null;
  const published = /<time[^>]+datetime=["']([^"']+)/i.exec(html)?.[1] ?? null;
  const outlet = /property=["']og:site_name["'][^>]+content=["']([^"']+)/i.exec(html)?.[1] ?? null;
  const paragraphs = [...html.matchAll(/<p[^>]*>([\s\S]*?)<\/p>/gi)].map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim()).filter(Boolean);
  return { title, outlet, published, author: null, canonical, language: null, text: paragraphs.join('\n\n'), paragraphs, error: paragraphs.length ? null : 'no article text' };
}
