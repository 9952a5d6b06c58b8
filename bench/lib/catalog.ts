/**
 * A deterministic synthetic catalog for the search benchmark: product names and descriptions built
 * from per-category vocabularies, and a query list drawn from the same words (plus a few typos and
 * words from other categories), so keyword, semantic and hybrid search all have real work to do.
 */

import type pg from 'pg';

import { seededRandom } from './random.ts';

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** Seeded category ids 1–8 (scripts/db/seed-data.ts) and the nouns and features of each. */
const CATEGORIES: Record<number, { nouns: string[]; features: string[] }> = {
  1: {
    nouns: ['headphones', 'earbuds', 'bluetooth speaker', 'smartwatch', 'soundbar', 'action camera', 'e-reader', 'power bank', 'drone', 'turntable'],
    features: ['noise cancelling', 'long battery life', 'wireless charging', 'water resistant', 'fast pairing', 'deep bass', 'voice assistant', '4K video'],
  },
  2: {
    nouns: ['mechanical keyboard', 'wireless mouse', 'usb-c hub', 'monitor stand', 'laptop sleeve', 'webcam', 'external ssd', 'docking station', 'gaming headset', 'mouse pad'],
    features: ['rgb backlight', 'ergonomic design', 'plug and play', 'aluminium body', 'hot swappable switches', 'high refresh rate', 'thunderbolt support', 'braided cable'],
  },
  3: {
    nouns: ['cast iron skillet', 'coffee maker', 'chef knife', 'blender', 'air fryer', 'dutch oven', 'kettle', 'cutting board', 'toaster', 'stand mixer'],
    features: ['non-stick coating', 'dishwasher safe', 'stainless steel', 'pre-seasoned', 'programmable timer', 'bpa free', 'cool touch handle', 'large capacity'],
  },
  4: {
    nouns: ['hoodie', 'denim jacket', 'rain jacket', 'wool sweater', 'chino pants', 'flannel shirt', 'puffer vest', 'linen dress', 'graphic t-shirt', 'beanie'],
    features: ['organic cotton', 'slim fit', 'relaxed fit', 'breathable fabric', 'recycled polyester', 'machine washable', 'fleece lined', 'wrinkle resistant'],
  },
  5: {
    nouns: ['running shoes', 'hiking boots', 'trail runners', 'sneakers', 'sandals', 'leather loafers', 'rain boots', 'slippers', 'basketball shoes', 'chelsea boots'],
    features: ['cushioned sole', 'waterproof membrane', 'breathable mesh', 'arch support', 'vibram outsole', 'lightweight', 'memory foam insole', 'wide toe box'],
  },
  6: {
    nouns: ['mystery novel', 'cookbook', 'science fiction novel', 'biography', 'history book', 'poetry collection', 'travel guide', 'fantasy saga', 'self-help book', 'graphic novel'],
    features: ['hardcover edition', 'paperback', 'illustrated', 'bestseller', 'award winning', 'first edition', 'large print', 'annotated'],
  },
  7: {
    nouns: ['yoga mat', 'camping tent', 'sleeping bag', 'dumbbells', 'water bottle', 'trekking poles', 'bike helmet', 'backpack', 'resistance bands', 'kayak paddle'],
    features: ['ultralight', 'insulated', 'non-slip surface', 'packable', 'adjustable', 'uv protection', 'weatherproof', 'quick dry'],
  },
  8: {
    nouns: ['face serum', 'moisturizer', 'shampoo', 'electric toothbrush', 'hair dryer', 'sunscreen', 'lip balm', 'beard trimmer', 'perfume', 'body lotion'],
    features: ['fragrance free', 'vitamin c', 'hyaluronic acid', 'sensitive skin', 'spf 50', 'cruelty free', 'rechargeable', 'travel size'],
  },
};

const ADJECTIVES = ['classic', 'premium', 'compact', 'pro', 'everyday', 'deluxe', 'essential', 'urban', 'alpine', 'studio', 'vintage', 'smart', 'eco', 'ultra'];
const COLORS = ['black', 'white', 'navy', 'olive', 'red', 'grey', 'sand', 'teal', 'burgundy', 'silver', 'copper', 'forest green'];
const BRANDS = ['Northwind', 'Acme', 'Lumen', 'Peak', 'Harbor', 'Vertex', 'Kinto', 'Solace', 'Brightline', 'Oakridge', 'Nimbus', 'Quill'];

export interface GeneratedProduct {
  name: string;
  description: string;
  categoryId: number;
  priceCents: number;
  stock: number;
}

export function generateProducts(count: number, seed = 42): GeneratedProduct[] {
  // The same catalog and queries on every run.
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const categoryId = (i % 8) + 1;
    const vocabulary = CATEGORIES[categoryId]!;
    const noun = pick(random, vocabulary.nouns);
    const [first, second] = [pick(random, vocabulary.features), pick(random, vocabulary.features)];
    const name = `${pick(random, BRANDS)} ${pick(random, ADJECTIVES)} ${pick(random, COLORS)} ${noun} ${100 + Math.floor(random() * 900)}`;
    const description = `A ${pick(random, ADJECTIVES)} ${noun} with ${first} and ${second}. Made for ${pick(random, ['daily use', 'travel', 'the outdoors', 'the office', 'gifting', 'beginners', 'enthusiasts'])}, in ${pick(random, COLORS)}.`;
    return { name, description, categoryId, priceCents: 500 + Math.floor(random() * 50_000), stock: 10 + Math.floor(random() * 200) };
  });
}

/** Swaps two neighbouring letters of the longest word: a typo. */
function typo(random: () => number, text: string): string {
  const words = text.split(' ');
  const index = words.reduce((best, word, i) => (word.length > words[best]!.length ? i : best), 0);
  const word = words[index]!;
  if (word.length < 5) return text;
  const at = 1 + Math.floor(random() * (word.length - 3));
  words[index] = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return words.join(' ');
}

/**
 * `count` distinct queries of varied shape: a bare noun, colour/adjective + noun, noun + feature,
 * a feature alone, a brand + noun, a cross-category phrase, and about one in eight with a typo.
 */
export function generateQueries(count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const seen = new Set<string>();
  const queries: string[] = [];
  for (let attempt = 0; queries.length < count && attempt < count * 50; attempt++) {
    const vocabulary = CATEGORIES[1 + Math.floor(random() * 8)]!;
    const other = CATEGORIES[1 + Math.floor(random() * 8)]!;
    const noun = pick(random, vocabulary.nouns);
    const shapes = [
      () => noun,
      () => `${pick(random, COLORS)} ${noun}`,
      () => `${pick(random, ADJECTIVES)} ${noun}`,
      () => `${noun} ${pick(random, vocabulary.features)}`,
      () => `${pick(random, vocabulary.features)}`,
      () => `${pick(random, BRANDS).toLowerCase()} ${noun}`,
      () => `${pick(random, vocabulary.features)} ${pick(random, other.nouns)}`,
      () => `${pick(random, COLORS)} ${pick(random, ADJECTIVES)} ${noun} ${pick(random, vocabulary.features)}`,
    ];
    let query = pick(random, shapes)();
    if (random() < 0.125) query = typo(random, query);
    if (!seen.has(query)) {
      seen.add(query);
      queries.push(query);
    }
  }
  return queries;
}

/** Inserts `products` for `sellerId` straight into the instance's database, 1,000 rows per statement. */
export async function insertProducts(client: pg.Client, sellerId: string, products: GeneratedProduct[]): Promise<void> {
  const BATCH = 1_000;
  for (let start = 0; start < products.length; start += BATCH) {
    const batch = products.slice(start, start + BATCH);
    const values = batch.map((_, i) => `($1, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}, $${i * 5 + 5}, $${i * 5 + 6})`).join(', ');
    await client.query(
      `insert into products (seller_id, category_id, name, description, price_cents, stock_quantity) values ${values}`,
      [sellerId, ...batch.flatMap((p) => [p.categoryId, p.name, p.description, p.priceCents, p.stock])],
    );
  }
}

/**
 * `count` distinct prefixes a shopper types into the search box (3–8 characters of a word of a product name,
 * sometimes two words), drawn from `products`, so each asks for suggestions the catalog has.
 */
export function generatePrefixes(products: GeneratedProduct[], count: number, seed = 11): string[] {
  const random = seededRandom(seed);
  const prefixes = new Set<string>();
  for (let attempt = 0; prefixes.size < count && attempt < count * 50; attempt++) {
    const words = pick(random, products).name.toLowerCase().split(' ').filter((word) => word.length >= 3 && !/^\d+$/.test(word));
    const at = Math.floor(random() * words.length);
    const word = words[at]!;
    const prefix = word.slice(0, 3 + Math.floor(random() * Math.min(6, word.length - 2)));
    prefixes.add(random() < 0.25 && at > 0 ? `${words[at - 1]} ${prefix}` : prefix);
  }
  return [...prefixes];
}
