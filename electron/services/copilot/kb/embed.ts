import { embed, embedMany, type EmbeddingModel } from 'ai';
import { chunksMissingVectors, storeVectors, type VecExtension } from './vectors';

// Vectors for the knowledge base, when the provider offers an embedding model. Chunks are embedded
// in batches with the article title and heading in front (they carry most of the meaning), and
// written a batch per transaction so a long import never holds the cache.

const BATCH = 64;

export function chunkEmbeddingText(c: { title: string; heading: string | null; text: string }): string {
  return [c.title, c.heading, c.text].filter(Boolean).join('\n').slice(0, 6000);
}

/** Embeds every chunk without a vector from `modelName`; returns how many were embedded. */
export async function embedMissingChunks(vec: VecExtension, model: EmbeddingModel, modelName: string, opts: { now: () => number; abortSignal?: AbortSignal }): Promise<number> {
  const db = vec.db;
  const ext = vec.ensure();
  if (!ext.ok) throw new Error(`sqlite-vec could not be loaded: ${ext.reason ?? 'unknown reason'}`);
  let done = 0;
  for (;;) {
    const batch = chunksMissingVectors(db, modelName, BATCH);
    if (batch.length === 0) return done;
    const { embeddings } = await embedMany({ model, values: batch.map(chunkEmbeddingText), maxRetries: 1, abortSignal: opts.abortSignal });
    storeVectors(db, modelName, batch.map((c, i) => ({ chunkId: c.id, vector: embeddings[i]! })), opts.now());
    done += batch.length;
    if (batch.length < BATCH) return done;
  }
}

export async function embedQuery(model: EmbeddingModel, text: string, abortSignal?: AbortSignal): Promise<number[]> {
  const { embedding } = await embed({ model, value: text.slice(0, 4000), maxRetries: 0, abortSignal });
  return embedding;
}
