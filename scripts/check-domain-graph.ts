/**
 * Prints the backend's domain graph layer by layer and exits 1 when a production file imports another domain's
 * internals instead of its front door (`workers/<domain>/index.ts`), when domains import each other around a cycle,
 * or when an allowance of scripts/domain-boundaries.json is no longer needed. Run by `npm run lint`.
 */
import { crossDomainImports, reviewDomainGraph } from './domain-graph.ts';

const review = reviewDomainGraph(crossDomainImports(new URL('..', import.meta.url).pathname));

console.log('Domain graph, bottom → top (a domain imports only domains on lower layers; platform is imported by all):');
review.layers.forEach((layer, depth) => {
  const lines = layer.map((domain) => {
    const uses = [...(review.graph.get(domain) ?? [])].filter((to) => to !== 'platform').sort();
    return `    ${domain}${uses.length > 0 ? ` → ${uses.join(', ')}` : ''}`;
  });
  console.log(`  ${depth}\n${lines.join('\n')}`);
});
console.log(`Open cycles, allowed back edges (debt, scripts/domain-boundaries.json):`);
for (const [edge, why] of review.openBackEdges) console.log(`    ${edge}: ${why}`);
if (review.openBackEdges.length === 0) console.log('    none');

for (const error of review.errors) console.error(error);
if (review.errors.length > 0) process.exit(1);
