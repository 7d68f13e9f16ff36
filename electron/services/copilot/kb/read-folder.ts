import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../../shared/contract/errors';
import { parseMarkdownArticle, type ParsedArticle } from './chunk';

// A folder of Markdown articles, read and parsed: what every knowledge-base store imports (the
// desk's SQLite one, the team server's PostgreSQL one). A file that cannot be used is a problem in
// words, never a silent skip; the folder itself must exist and hold Markdown.

const MAX_FILE_BYTES = 1_000_000;
const MAX_FILES = 2_000;

export interface FolderArticle {
  file: string;
  article: ParsedArticle;
  /** SHA-256 of the file's text: unchanged articles are not imported again. */
  hash: string;
}

function listMarkdown(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && depth < 3) walk(full, depth + 1);
      else if (entry.isFile() && /\.(md|markdown)$/i.test(entry.name)) out.push(full);
      if (out.length >= MAX_FILES) return;
    }
  };
  walk(folder, 0);
  return out;
}

export function readKbFolder(folder: string): { articles: FolderArticle[]; problems: string[] } {
  const abs = path.resolve(folder);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new AppError('bad_input', `There is no folder at ${abs}. Choose a folder that holds Markdown (.md) articles.`);
  }
  if (!stat.isDirectory()) throw new AppError('bad_input', `${abs} is a file, not a folder. Choose the folder that holds the Markdown articles.`);
  const files = listMarkdown(abs);
  if (files.length === 0) throw new AppError('bad_input', `No Markdown (.md) files in ${abs}.`);
  const articles: FolderArticle[] = [];
  const problems: string[] = [];
  const seenSlugs = new Set<string>();
  for (const file of files) {
    let text: string;
    try {
      if (fs.statSync(file).size > MAX_FILE_BYTES) {
        problems.push(`${path.basename(file)}: larger than 1 MB, skipped`);
        continue;
      }
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      problems.push(`${path.basename(file)}: could not be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      continue;
    }
    const article = parseMarkdownArticle(path.basename(file), text);
    if (seenSlugs.has(article.slug)) {
      problems.push(`${path.relative(abs, file)}: another file in this folder is also cited as kb:${article.slug}; skipped`);
      continue;
    }
    seenSlugs.add(article.slug);
    if (article.chunks.length === 0) {
      problems.push(`${path.basename(file)}: no text, skipped`);
      continue;
    }
    articles.push({ file, article, hash: crypto.createHash('sha256').update(text).digest('hex') });
  }
  return { articles, problems };
}
