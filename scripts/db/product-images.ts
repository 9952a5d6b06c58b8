import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { PRODUCTS } from './seed-data.ts';

/**
 * Writes one SVG per seeded product image into the SPA's public folder, so the shop shows product
 * pictures with no external image host (it must work offline). Deterministic: same input, same files.
 * Run with `npm run seed:images`; the output is committed.
 */
const OUT_DIR = join(import.meta.dirname, '../../web/public/images/products');

const PALETTES: Record<number, [string, string]> = {
  1: ['#1e3a8a', '#60a5fa'],
  2: ['#312e81', '#a78bfa'],
  3: ['#7c2d12', '#fb923c'],
  4: ['#14532d', '#4ade80'],
  5: ['#713f12', '#facc15'],
  6: ['#4a044e', '#e879f9'],
  7: ['#134e4a', '#2dd4bf'],
  8: ['#831843', '#f472b6'],
};

const escapeXml = (text: string) => text.replace(/[<>&'"]/g, (char) => `&#${char.charCodeAt(0)};`);

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if ((line + ' ' + word).trim().length > width && line) {
      lines.push(line);
      line = word;
    } else {
      line = (line + ' ' + word).trim();
    }
  }
  if (line) lines.push(line);
  return lines.slice(0, 3);
}

function svgFor(product: (typeof PRODUCTS)[number], view: 1 | 2): string {
  const [dark, light] = PALETTES[product.categoryId] ?? ['#334155', '#94a3b8'];
  const [from, to] = view === 1 ? [dark, light] : [light, dark];
  const initials = product.name
    .split(/\s+/)
    .filter((word) => /^[A-Za-z]/.test(word))
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join('');
  const lines = wrap(product.name, 22)
    .map((line, i) => `<text x="300" y="${470 + i * 40}" font-size="32" text-anchor="middle" fill="#fff">${escapeXml(line)}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 600" role="img" aria-label="${escapeXml(product.name)}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
<rect width="600" height="600" fill="url(#g)"/>
<circle cx="300" cy="250" r="${view === 1 ? 150 : 120}" fill="#ffffff" fill-opacity="0.18"/>
<text x="300" y="300" font-family="system-ui, sans-serif" font-size="140" font-weight="700" text-anchor="middle" fill="#fff">${escapeXml(initials)}</text>
<g font-family="system-ui, sans-serif">${lines}</g>
</svg>
`;
}

await mkdir(OUT_DIR, { recursive: true });
let written = 0;
for (const product of PRODUCTS) {
  for (const image of product.images) {
    const view = image.url.endsWith('-2.svg') ? 2 : 1;
    await writeFile(join(OUT_DIR, image.url.split('/').pop()!), svgFor(product, view));
    written++;
  }
}
console.log(`wrote ${written} product images to ${OUT_DIR}`);
