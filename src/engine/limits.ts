/**
 * How long user input may be, in one place. The Discord command options set
 * these as `max_length` (through INPUT_LIMITS in src/bot/render.ts), so the
 * client refuses longer input; a forged interaction can still send up to
 * Discord's own 6,000 characters, so the engine, the digest service and the
 * live sources apply the same caps again before any work.
 */

/** A person's or organisation's name (/who name, /quote speaker): longer is cut. */
export const MAX_NAME_CHARS = 100;
/** Search words or a topic (/search, /timeline, /quote, /brief, /digest topics): longer is cut (a digest topic is refused, being stored). */
export const MAX_QUERY_CHARS = 200;
/** A web address to fetch (/article add link, /feeds add url): longer is refused. */
export const MAX_URL_CHARS = 2000;
