import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MockEmbeddingModelV4 } from 'ai/test';
import { migrate } from '../../electron/services/db/migrate';
import { parseMarkdownArticle, slugFromFileName } from '../../electron/services/copilot/kb/chunk';
import { importKbFolder, getKbArticle } from '../../electron/services/copilot/kb/store';
import { ftsQuery, reciprocalRankFusion, searchKb } from '../../electron/services/copilot/kb/search';
import { embedMissingChunks } from '../../electron/services/copilot/kb/embed';
import { VecExtension, vecTableDimensions } from '../../electron/services/copilot/kb/vectors';
import { tempDir } from '../helpers/services';
import { hashEmbedding } from '../openai-server';

const SAMPLE_KB = path.resolve(import.meta.dirname, '../../resources/kb');

function db() {
  const d = new Database(':memory:');
  migrate(d);
  return d;
}

/** A mock embedding model with the loopback server's deterministic bag-of-words vectors. */
function mockEmbedder() {
  const calls: string[][] = [];
  const model = new MockEmbeddingModelV4({
    maxEmbeddingsPerCall: 100,
    doEmbed: async ({ values }) => {
      calls.push(values as string[]);
      return { embeddings: (values as string[]).map((v) => hashEmbedding(v)), warnings: [] };
    },
  });
  return { model, calls };
}

describe('knowledge base', () => {
  it('chunks an article by headings, with the heading path and the title from the first heading', () => {
    const a = parseMarkdownArticle('Payment Methods.md', '# Paying us\n\nIntro line.\n\n## Cards\n\nVisa and more.\n\n### Expired\n\nAdd the new card.\n\n```\n## not a heading\n```\n\n## Banks\n\nSEPA.');
    expect(a.slug).toBe('payment-methods');
    expect(a.title).toBe('Paying us');
    expect(a.chunks.map((c) => c.heading)).toEqual([null, 'Cards', 'Cards › Expired', 'Banks']);
    expect(a.chunks[2]!.text).toContain('## not a heading');
  });

  it('never loses text when chunking, and keeps every chunk within bounds', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('# T', '## A', '### B', '', 'x'.repeat(700), 'y'.repeat(1300), `${'z'.repeat(500)}. `.repeat(3)), fc.lorem({ maxCount: 40 })), { maxLength: 40 }), (lines) => {
        const md = lines.join('\n');
        const a = parseMarkdownArticle('x.md', md);
        // Every character of the body, in order, once: only headings and whitespace may differ.
        const squeeze = (s: string) => s.replace(/\s+/g, '');
        expect(squeeze(a.chunks.map((c) => c.text).join(''))).toBe(squeeze(md.replace(/^#{1,6}\s.*$/gm, '')));
        for (const c of a.chunks) expect(c.text.length).toBeLessThanOrEqual(1200);
      }),
      { numRuns: 200 },
    );
    expect(slugFromFileName('Ünïcode Refunds!.MD')).toBe('unicode-refunds');
  });

  it('imports the sample KB, finds the refund timing by keyword, and skips unchanged files on re-import', () => {
    const d = db();
    const vec = new VecExtension(d);
    const first = importKbFolder(d, vec, SAMPLE_KB, 1);
    expect(first.documents).toBeGreaterThanOrEqual(5);
    expect(first.problems).toEqual([]);
    expect(importKbFolder(d, vec, SAMPLE_KB, 2)).toMatchObject({ documents: 0, unchanged: first.documents });
    return searchKb(d, 'how long does a refund take to reach my card', { limit: 3 }).then((hits) => {
      expect(hits[0]).toMatchObject({ ref: 'kb:refunds', via: ['keyword'] });
      expect(hits[0]!.snippet).toMatch(/business days/);
      expect(getKbArticle(d, 'kb:retries').title).toMatch(/retries/i);
    });
  });

  it('a re-imported article replaces the old one under the same citation id; bad folders get clear errors', async () => {
    const d = db();
    const vec = new VecExtension(d);
    importKbFolder(d, vec, SAMPLE_KB, 1);
    const { dir, cleanup } = tempDir();
    try {
      fs.writeFileSync(path.join(dir, 'refunds.md'), '# Refunds (ours)\n\n## Policy\n\nWe refund within thirty days, no questions asked.');
      const r = importKbFolder(d, vec, dir, 2);
      expect(r).toMatchObject({ documents: 1, chunks: 1 });
      expect((await searchKb(d, 'thirty days', { limit: 1 }))[0]).toMatchObject({ ref: 'kb:refunds', title: 'Refunds (ours)' });
      expect(await searchKb(d, 'ARN reference number bank', { limit: 5 })).not.toContainEqual(expect.objectContaining({ ref: 'kb:refunds' }));
      expect(() => importKbFolder(d, vec, path.join(dir, 'missing'), 3)).toThrow(/There is no folder/);
      expect(() => importKbFolder(d, vec, path.join(dir, 'refunds.md'), 3)).toThrow(/is a file, not a folder/);
    } finally {
      cleanup();
    }
  });

  it('turns any text into a safe FTS query (FTS syntax in the input cannot break or widen the search)', async () => {
    expect(ftsQuery('refund "NEAR" OR * ) (')).toBe('"refund" OR "near"');
    const d = db();
    const vec = new VecExtension(d);
    importKbFolder(d, vec, SAMPLE_KB, 1);
    await fc.assert(
      // Queries that really carry FTS5 syntax (a random string almost never does): operators,
      // quotes, prefixes, column filters and parentheses around real KB words, plus random text.
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc
            .tuple(fc.array(fc.oneof(fc.constantFrom('"', '*', 'NEAR', 'NEAR(', 'OR', 'AND', 'NOT', ':', 'title:', '^', '(', ')', '-', '+', 'refund', 'card', 'invoice', 'tax', 'retry'), fc.string({ maxLength: 8 })), { minLength: 1, maxLength: 12 }), fc.constantFrom(' ', ''))
            .map(([parts, sep]) => parts.join(sep)),
        ),
        async (s) => {
          const hits = await searchKb(d, s, { limit: 5 });
          expect(hits.length).toBeLessThanOrEqual(5);
          // Syntax alone matches nothing: without a letter or digit there is no term to find.
          if (!/[\p{L}\p{N}]/u.test(s)) expect(hits).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reciprocal rank fusion rewards agreement and is order-independent across lists', () => {
    const fused = reciprocalRankFusion([[1, 2, 3], [3, 1, 4]]);
    expect([...fused.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id)).toEqual([1, 3, 2, 4]);
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 10 }), { maxLength: 4 }), (lists) => {
        const a = reciprocalRankFusion(lists);
        const b = reciprocalRankFusion([...lists].reverse());
        for (const [id, s] of a) expect(b.get(id)).toBeCloseTo(s, 12);
      }),
    );
  });

  it('embeds chunks into sqlite-vec and ranks by meaning and keywords together (hybrid)', async () => {
    const d = db();
    const vec = new VecExtension(d);
    importKbFolder(d, vec, SAMPLE_KB, 1);
    const { model, calls } = mockEmbedder();
    const n = await embedMissingChunks(vec, model, 'mock-embed', { now: () => 5 });
    expect(n).toBe((d.prepare('SELECT COUNT(*) AS n FROM kb_chunks').get() as { n: number }).n);
    expect(vecTableDimensions(d)).toBe(64);
    expect(await embedMissingChunks(vec, model, 'mock-embed', { now: () => 6 })).toBe(0);
    const callsBefore = calls.length;
    const hits = await searchKb(d, 'expired card new expiry', { limit: 3, embeddingModel: 'mock-embed', vectors: vec, embedQuery: async (t) => hashEmbedding(t) });
    expect(calls.length).toBe(callsBefore);
    expect(hits[0]!.via).toEqual(['keyword', 'vector']);
    expect(['kb:payment-methods', 'kb:retries']).toContain(hits[0]!.ref);
    // A different model's vectors are never mixed with these: its chunks count as missing.
    expect(await searchKb(d, 'expired card', { limit: 3, embeddingModel: 'other-model', vectors: vec, embedQuery: async (t) => hashEmbedding(t) }).then((h) => h.every((x) => !x.via.includes('vector')))).toBe(true);
  });
});
