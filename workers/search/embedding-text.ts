/**
 * What a product's vector is made from, and its fingerprint. Pure TypeScript with no imports, shared
 * by the queue consumer (workerd) and the seed/backfill scripts (Node).
 */

/** `name + " " + description + " " + categoryName`, missing parts left out, spaces collapsed. */
export function productEmbeddingText(product: { name: string; description: string | null; categoryName: string | null }): string {
  return [product.name, product.description ?? '', product.categoryName ?? '']
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** SHA-256 hex of the text: `product_embeddings.source_hash`, so unchanged text is never re-embedded. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
