/**
 * The deterministic local embedder: the offline default for `npm start`, tests and the seed.
 *
 * It is a feature-hashing bag of stemmed word unigrams, word bigrams and character trigrams folded
 * into 384 signed buckets and L2-normalised — no model download, no network, identical output in
 * workerd and Node (the seed imports this file directly). It captures lexical closeness
 * ("headphones" ~ "headphone", "running shoes" ~ "road running shoe", typos via trigrams), not meaning;
 * production uses a real sentence model behind the same {@link Embedder} interface.
 *
 * Pure TypeScript with relative imports only, so Node scripts can import it without the Worker's aliases.
 */
import { EMBEDDING_DIMENSIONS, normalize, type Embedder } from './embedder.ts';

export const LOCAL_EMBEDDER_MODEL = 'local-hash-ngram-v1';

const STOPWORDS = new Set(
  (
    'a an the and or of for with without to in on at by from into onto over per via vs is are be been it its this that these those ' +
    'as up your you my our we i me he she they them their his her all any each some no not can will just so than too very'
  ).split(' '),
);

/** Feature weights, tuned on the seed catalog (docs/decisions/search.md). */
const WEIGHTS = { word: 1, bigram: 0.4, trigram: 0.12 };
/** The first tokens of a product text are its name: they count more than the description's tail. */
const LEADING_TOKENS = 6;
const LEADING_BOOST = 3;

const isVowel = (c: string | undefined) => c !== undefined && 'aeiouy'.includes(c);

/** Undoes a doubled final consonant left by a removed suffix (running → runn → run). */
function undouble(stem: string): string {
  const last = stem.at(-1);
  if (stem.length > 2 && last === stem.at(-2) && !isVowel(last) && last !== 's' && last !== 'z') return stem.slice(0, -1);
  return stem;
}

/** Light English stemming: plurals, -ing, -ed and a final -e, so inflections share one feature. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(ch|sh|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);

  if (w.endsWith('ing') && w.length > 5 && [...w.slice(0, -3)].some(isVowel)) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4 && [...w.slice(0, -2)].some(isVowel)) w = undouble(w.slice(0, -2));

  if (w.endsWith('e') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** Lower-cased, accent-free, stemmed word tokens without stopwords. */
export function tokenize(text: string): string[] {
  const words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .match(/[a-z0-9]+/g);
  if (!words) return [];
  return words.filter((word) => !STOPWORDS.has(word) && (word.length > 1 || /\d/.test(word))).map(stem);
}

/** 32-bit FNV-1a: fast, deterministic, good enough spread for feature hashing. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Buckets per feature: a collision then moves only part of a feature's weight. */
const HASHES = 4;

function addFeature(vector: number[], feature: string, weight: number): void {
  const share = weight / Math.sqrt(HASHES);
  for (let k = 0; k < HASHES; k++) {
    const hash = fnv1a(`${k}${feature}`);
    // The sign comes from other bits than the bucket, so colliding features tend to cancel, not pile up.
    vector[hash % EMBEDDING_DIMENSIONS]! += hash & 0x80000000 ? -share : share;
  }
}

/** Embeds one text synchronously (the {@link Embedder} wraps it in a promise). */
export function embedText(text: string): number[] {
  const vector = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  const tokens = tokenize(text);
  tokens.forEach((token, index) => {
    const boost = index < LEADING_TOKENS ? LEADING_BOOST : 1;
    addFeature(vector, `w:${token}`, WEIGHTS.word * boost);
    const next = tokens[index + 1];
    if (next !== undefined) addFeature(vector, `b:${token} ${next}`, WEIGHTS.bigram * boost);
    const padded = `^${token}$`;
    for (let i = 0; i + 3 <= padded.length; i++) addFeature(vector, `t:${padded.slice(i, i + 3)}`, WEIGHTS.trigram * boost);
  });
  return normalize(vector);
}

export function createLocalEmbedder(): Embedder {
  return {
    model: LOCAL_EMBEDDER_MODEL,
    dimensions: EMBEDDING_DIMENSIONS,
    embed: async (texts) => texts.map(embedText),
  };
}
