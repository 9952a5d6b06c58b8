/** Dimension every embedder produces; matches `product_embeddings.embedding` (vector(384)). */
export const EMBEDDING_DIMENSIONS = 384;

/**
 * Turns texts into sentence embeddings. Implementations: the Workers AI binding (production), an
 * OpenAI-compatible HTTP server, and the deterministic local embedder (dev, tests, seed).
 * Vectors are L2-normalised, `dimensions` long, one per input text, in input order.
 */
export interface Embedder {
  /** Stored with each product vector so vectors from different models are never compared. */
  readonly model: string;
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

/** Scales a vector to unit length (a zero vector stays zero: it has no direction to compare). */
export function normalize(vector: number[]): number[] {
  let sum = 0;
  for (const value of vector) sum += value * value;
  if (sum === 0) return vector;
  const norm = Math.sqrt(sum);
  return vector.map((value) => value / norm);
}

/** Cosine similarity of two vectors (0 when either is zero). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
