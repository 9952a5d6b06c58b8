/**
 * `npm run bench:relevance`: how well search finds what a shopper means, over the 40 seed products with
 * the real model (all-MiniLM-L6-v2, as `npm start` runs it). Labelled queries (bench/lib/relevance-queries.ts):
 * meaning queries that share no word with the products they want, plain keyword queries, and nonsense.
 * For each mode (keyword, semantic = `mode=ai`, hybrid) it reports hit@5 (a wanted product in the top 5)
 * and nDCG@10 (binary relevance), through the Worker's own search code (`smartSearch`), at the configured
 * similarity floor and a few others. Writes the relevance section of docs/BENCHMARKS.md.
 */
import { productEmbeddingText } from '../workers/search/embedding-text.ts';
import { createDb } from '../workers/platform/db.ts';
import { createEmbedder } from '../workers/search/config.ts';
import { aiSearchQuerySchema } from '../workers/search/schema.ts';
import { createSearchCaches, HYBRID_DEPTH_RATIO, smartSearch, type SearchDeps } from '../workers/search/service.ts';
import { CATEGORIES, PRODUCTS } from '../scripts/db/seed-data.ts';
import { MINILM_MIN_SIMILARITY } from '../scripts/embeddings/model.ts';
import { startSemanticStack } from '../scripts/embeddings/stack.ts';
import { contentWords, LABELLED_QUERIES, NONSENSE_QUERIES } from './lib/relevance-queries.ts';
import { reportSummary, writeSection } from './lib/report.ts';

const MODES = ['keyword', 'ai', 'hybrid'] as const;
type Mode = (typeof MODES)[number];
const MODE_LABEL: Record<Mode, string> = { keyword: 'keyword', ai: 'semantic (`mode=ai`)', hybrid: 'hybrid (default)' };
const FLOORS = [0.2, MINILM_MIN_SIMILARITY, 0.3, 0.35].filter((value, index, all) => all.indexOf(value) === index).sort();
const GOAL_HIT5 = 0.9;
/** Hybrid's semantic depth as a share of the floor; 1 = no deeper than the floor (the fusion before). */
const DEPTHS = [0.4, 0.5, HYBRID_DEPTH_RATIO, 0.8, 1].filter((value, index, all) => all.indexOf(value) === index).sort();

/** Every meaning query must share no content word with the text of a product it wants. */
function checkMeaningQueries(): string[] {
  const categoryName = new Map<number, string>(CATEGORIES.map((category) => [category.id, category.name]));
  const text = new Map(PRODUCTS.map((product) => [product.id, productEmbeddingText({ name: product.name, description: product.description, categoryName: categoryName.get(product.categoryId) ?? null })]));
  const problems: string[] = [];
  for (const query of LABELLED_QUERIES.filter((item) => item.kind === 'meaning')) {
    const words = contentWords(query.q);
    for (const id of query.relevant) {
      const shared = [...contentWords(text.get(id)!)].filter((word) => words.has(word));
      if (shared.length > 0) problems.push(`"${query.q}" shares ${shared.join(', ')} with product ${id}`);
    }
  }
  return problems;
}

const hitAt = (ids: number[], relevant: number[], k: number) => (ids.slice(0, k).some((id) => relevant.includes(id)) ? 1 : 0);
function ndcgAt(ids: number[], relevant: number[], k: number): number {
  const dcg = ids.slice(0, k).reduce((sum, id, i) => sum + (relevant.includes(id) ? 1 / Math.log2(i + 2) : 0), 0);
  const ideal = Array.from({ length: Math.min(relevant.length, k) }, (_, i) => 1 / Math.log2(i + 2)).reduce((a, b) => a + b, 0);
  return dcg / ideal;
}

interface Scores {
  hit5: number;
  ndcg10: number;
  meaningHit5: number;
  keywordHit5: number;
  /** Most results any nonsense query returned. */
  nonsenseMax: number;
  misses: string[];
}

const problems = checkMeaningQueries();
if (problems.length > 0) {
  console.error(`meaning queries must share no word with their products:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

console.log('loading all-MiniLM-L6-v2 and embedding the seed catalog…');
const stack = await startSemanticStack();
const results: Record<string, Scores> = {};
const depthResults: Record<number, Scores> = {};
try {
  console.log(`  model loaded in ${(stack.modelLoadMs / 1000).toFixed(1)} s, ${stack.embedded} products embedded`);
  const embedder = createEmbedder(stack.env);
  const caches = createSearchCaches();
  const evaluate = async (mode: Mode, overrides: Partial<SearchDeps>): Promise<Scores> => {
    const deps = { db: createDb(stack.env), embedder, minSimilarity: MINILM_MIN_SIMILARITY, queryTimeoutMs: 30_000, caches, ...overrides };
    const run = async (q: string) => (await smartSearch(deps, aiSearchQuerySchema.parse({ q, mode, limit: 10 }))).results.map((item) => item.id);
    let hit5 = 0;
    let ndcg10 = 0;
    const byKind = { meaning: [0, 0], keyword: [0, 0] };
    const misses: string[] = [];
    for (const query of LABELLED_QUERIES) {
      const ids = await run(query.q);
      const hit = hitAt(ids, query.relevant, 5);
      hit5 += hit;
      ndcg10 += ndcgAt(ids, query.relevant, 10);
      byKind[query.kind][0]! += hit;
      byKind[query.kind][1]!++;
      if (!hit) misses.push(`${query.q} → [${ids.slice(0, 5).join(', ')}]`);
    }
    let nonsenseMax = 0;
    for (const q of NONSENSE_QUERIES) nonsenseMax = Math.max(nonsenseMax, (await run(q)).length);
    const n = LABELLED_QUERIES.length;
    return {
      hit5: hit5 / n,
      ndcg10: ndcg10 / n,
      meaningHit5: byKind.meaning[0]! / byKind.meaning[1]!,
      keywordHit5: byKind.keyword[0]! / byKind.keyword[1]!,
      nonsenseMax,
      misses,
    };
  };
  const print = (label: string, r: Scores) =>
    console.log(`${label}: hit@5 ${r.hit5.toFixed(3)} (meaning ${r.meaningHit5.toFixed(3)}, keyword ${r.keywordHit5.toFixed(3)}), nDCG@10 ${r.ndcg10.toFixed(3)}, nonsense → ${r.nonsenseMax} results`);
  for (const floor of FLOORS) {
    for (const mode of MODES) {
      if (mode === 'keyword' && floor !== MINILM_MIN_SIMILARITY) continue;
      const r = (results[`${mode}@${floor}`] = await evaluate(mode, { minSimilarity: floor }));
      print(`${mode.padEnd(7)} floor ${floor}`, r);
      if (floor === MINILM_MIN_SIMILARITY && r.misses.length > 0) console.log(`  misses: ${r.misses.join('; ')}`);
    }
  }
  for (const depth of DEPTHS) {
    const r = (depthResults[depth] = await evaluate('hybrid', { hybridDepthRatio: depth }));
    print(`hybrid  depth ${depth}`, r);
  }
} finally {
  await stack.close();
}

const at = (mode: Mode, floor = MINILM_MIN_SIMILARITY) => results[`${mode}@${floor}`]!;
const keyword = at('keyword');
const semantic = at('ai');
const hybrid = at('hybrid');
const f3 = (value: number) => value.toFixed(3);
const yes = (value: boolean) => (value ? '✅' : '❌');
const met = {
  hit5: hybrid.hit5 >= GOAL_HIT5,
  better: hybrid.hit5 > keyword.hit5 && hybrid.hit5 > semantic.hit5,
  betterNdcg: hybrid.ndcg10 > keyword.ndcg10 && hybrid.ndcg10 > semantic.ndcg10,
  nonsense: hybrid.nonsenseMax === 0 && semantic.nonsenseMax === 0,
};
const meaningCount = LABELLED_QUERIES.filter((query) => query.kind === 'meaning').length;
const mainRows = MODES.map((mode) => {
  const r = at(mode);
  return `| ${MODE_LABEL[mode]} | ${f3(r.hit5)} | ${f3(r.ndcg10)} | ${f3(r.meaningHit5)} | ${f3(r.keywordHit5)} | ${r.nonsenseMax} |`;
});
const depthRows = DEPTHS.map((depth) => {
  const r = depthResults[depth]!;
  return `| ${depth}${depth === HYBRID_DEPTH_RATIO ? ' (configured)' : depth === 1 ? ' (floor only)' : ''} | ${f3(depth * MINILM_MIN_SIMILARITY)} | ${f3(r.hit5)} | ${f3(r.ndcg10)} | ${r.nonsenseMax} |`;
});
const floorRows = FLOORS.map((floor) => `| ${floor}${floor === MINILM_MIN_SIMILARITY ? ' (configured)' : ''} | ${f3(at('ai', floor).hit5)} | ${f3(at('ai', floor).ndcg10)} | ${f3(at('hybrid', floor).hit5)} | ${f3(at('hybrid', floor).ndcg10)} | ${Math.max(at('ai', floor).nonsenseMax, at('hybrid', floor).nonsenseMax)} |`);
writeSection(
  'relevance',
  `## Relevance (\`npm run bench:relevance\`)

${LABELLED_QUERIES.length} labelled queries over the 40 seed products: ${meaningCount} **meaning** queries that share no word with
any product they want (checked by the script against name + description + category, crude stemming), e.g. "keep my
coffee warm during a trek" → the insulated bottle, and ${LABELLED_QUERIES.length - meaningCount} plain **keyword** queries; plus ${NONSENSE_QUERIES.length} nonsense
queries that must return nothing. Model all-MiniLM-L6-v2 (\`@lat.md/embed\`, as \`npm start\` runs it), similarity floor
\`AI_MIN_SIMILARITY\` = ${MINILM_MIN_SIMILARITY}, limit 10, through the Worker's \`smartSearch\`. hit@5 = share of queries with a wanted
product in the top 5; nDCG@10 with binary relevance. Deterministic (no load involved), so the machine's load does not move these figures.

| mode | hit@5 | nDCG@10 | hit@5 meaning | hit@5 keyword | most results for a nonsense query |
|---|---|---|---|---|---|
${mainRows.join('\n')}

Floor sweep (semantic and hybrid):

| floor | semantic hit@5 | semantic nDCG@10 | hybrid hit@5 | hybrid nDCG@10 | nonsense results |
|---|---|---|---|---|---|
${floorRows.join('\n')}

How hybrid beats semantic: the floor judges the *query* (its best match reaches the floor, or a keyword matches —
else nothing, so nonsense stays empty), and an understood query's semantic list reaches deeper, to ${HYBRID_DEPTH_RATIO} × the floor, for
RRF to rank with the keyword list (docs/decisions/search.md). \`mode=ai\` keeps the per-result floor of its contract. The oblique
queries MiniLM rates low ("keep my coffee warm during a trek" → bottle 0.21, "sear a steak" → skillet 0.17) come back; a query whose
*best* match is below nonsense ("listen to songs without bothering others", 0.18) still cannot be told from nonsense.

Depth sweep (hybrid at the configured floor; 1 = candidates no deeper than the floor):

| depth (share of the floor) | semantic candidates down to | hybrid hit@5 | hybrid nDCG@10 | nonsense results |
|---|---|---|---|---|
${depthRows.join('\n')}

Hybrid misses at the configured floor (query → top 5 ids): ${hybrid.misses.length === 0 ? 'none' : hybrid.misses.map((miss) => `\`${miss}\``).join('; ')}.

| goal | figure | met? |
|---|---|---|
| hybrid hit@5 ≥ ${GOAL_HIT5} | ${f3(hybrid.hit5)} | ${yes(met.hit5)} |
| hybrid hit@5 better than keyword and semantic alone | ${f3(hybrid.hit5)} vs ${f3(keyword.hit5)} / ${f3(semantic.hit5)} | ${yes(met.better)} |
| hybrid nDCG@10 better than keyword and semantic alone | ${f3(hybrid.ndcg10)} vs ${f3(keyword.ndcg10)} / ${f3(semantic.ndcg10)} | ${yes(met.betterNdcg)} |
| nonsense returns nothing above the floor | ${Math.max(hybrid.nonsenseMax, semantic.nonsenseMax)} results | ${yes(met.nonsense)} |`,
);
reportSummary({
  name: 'relevance',
  figure: `hit@5 hybrid ${f3(hybrid.hit5)}, semantic ${f3(semantic.hit5)}, keyword ${f3(keyword.hit5)}; nDCG@10 hybrid ${f3(hybrid.ndcg10)}`,
  seed: '—',
  goal: `hybrid hit@5 ≥ ${GOAL_HIT5} and > each mode alone; nonsense → nothing`,
  met: met.hit5 && met.better && met.nonsense,
});
