// Markdown articles → chunks an agent (and a model) can cite. Split at headings so each chunk is
// one topic ("Refunds › Partial refunds"); a section longer than MAX_CHARS is split again at
// paragraph boundaries so retrieval returns a focused passage, never a whole article.

export interface KbChunkDraft {
  ord: number;
  /** "Section › Subsection"; null for text before the first heading. */
  heading: string | null;
  text: string;
}

export interface ParsedArticle {
  slug: string;
  title: string;
  body: string;
  chunks: KbChunkDraft[];
}

const MAX_CHARS = 1200;

/** "Payment methods.md" → "payment-methods": the citation id is `kb:<slug>`. */
export function slugFromFileName(fileName: string): string {
  return fileName
    .replace(/\.(md|markdown)$/i, '')
    .toLowerCase()
    .normalize('NFKD')
    // Accents decompose into a letter and a combining mark: drop the mark, keep the letter.
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80) || 'article';
}

/**
 * Pieces of one enormous paragraph, each at most MAX_CHARS: sentence ends first, then spaces, and
 * only a single "word" longer than MAX_CHARS (a pasted token, a URL) is cut mid-word. Nothing is
 * dropped: every character of the paragraph is in some piece.
 */
function piecesOf(para: string): string[] {
  const pieces: string[] = [];
  for (const sentence of para.split(/(?<=[.!?])\s+/)) {
    if (sentence.length <= MAX_CHARS) {
      pieces.push(sentence);
      continue;
    }
    for (const word of sentence.split(/\s+/)) {
      for (let i = 0; i < word.length; i += MAX_CHARS) pieces.push(word.slice(i, i + MAX_CHARS));
    }
  }
  return pieces.filter((p) => p.length > 0);
}

function splitLong(text: string): string[] {
  if (text.length <= MAX_CHARS) return [text];
  const parts: string[] = [];
  let current = '';
  const add = (piece: string, joiner: string) => {
    if (current && current.length + joiner.length + piece.length > MAX_CHARS) {
      parts.push(current);
      current = '';
    }
    current = current ? `${current}${joiner}${piece}` : piece;
  };
  for (const para of text.split(/\n{2,}/)) {
    if (para.length > MAX_CHARS) {
      for (const piece of piecesOf(para)) add(piece, ' ');
    } else {
      add(para, '\n\n');
    }
  }
  if (current) parts.push(current);
  return parts;
}

export function parseMarkdownArticle(fileName: string, markdown: string): ParsedArticle {
  const body = markdown.replace(/\r\n?/g, '\n').replace(/^\uFEFF/, '');
  const slug = slugFromFileName(fileName);
  let title = slug.replace(/-/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
  const sections: Array<{ path: string[]; lines: string[] }> = [];
  let path: string[] = [];
  let current: { path: string[]; lines: string[] } = { path: [], lines: [] };
  let inFence = false;
  for (const line of body.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const m = !inFence ? /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line) : null;
    if (m) {
      const level = m[1]!.length;
      const text = m[2]!.trim();
      if (level === 1 && sections.length === 0 && current.lines.join('').trim() === '' && path.length === 0) {
        title = text;
        continue;
      }
      sections.push(current);
      // Level 2 is the top section inside an article (level 1 is its title).
      const depth = Math.max(0, level - 2);
      path = [...path.slice(0, depth), text];
      current = { path, lines: [] };
      continue;
    }
    current.lines.push(line);
  }
  sections.push(current);
  const chunks: KbChunkDraft[] = [];
  for (const s of sections) {
    const text = s.lines.join('\n').trim();
    if (!text) continue;
    for (const part of splitLong(text)) chunks.push({ ord: chunks.length, heading: s.path.length ? s.path.join(' › ') : null, text: part });
  }
  return { slug, title, body, chunks };
}
