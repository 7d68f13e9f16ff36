// Characters that text copied from a web page, an email or a chat carries without showing them:
// zero-width space, word joiner, byte-order mark, soft hyphen, bidi marks, embeddings and isolates.
// Pasted into a search box they split "tobin" into "tob" + "in" (or make an id or an email
// unrecognisable) while the agent sees the right text, so searches drop them first.
const INVISIBLE = /[\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
// Zero-width (non-)joiners carry meaning in Persian, Indic scripts and emoji; between Latin letters,
// digits and email/id punctuation they are only paste debris.
const STRAY_JOINER = /(?<=[\p{Script=Latin}\d@._+-])[\u200C\u200D]+(?=[\p{Script=Latin}\d@._+-])/gu;

/** The text without the invisible characters a copy and paste brings along. */
export function withoutInvisibles(text: string): string {
  return text.replace(INVISIBLE, '').replace(STRAY_JOINER, '');
}
