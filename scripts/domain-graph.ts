/**
 * The backend's domain graph: which domain (`workers/<domain>/`, plus the Durable Object files each one owns) imports
 * which, and whether every import goes through the other domain's front door (`workers/<domain>/index.ts`).
 * `scripts/check-domain-graph.ts` prints it and fails on a forbidden edge or a cycle (run by `npm run lint`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';

interface Boundaries {
  /** durable-objects/<file> → the domain whose internals it is. */
  durableObjects: Record<string, string>;
  /** Domain → the domains whose `tables.ts` it still reads directly (debt: each should become a function of the owner). */
  tableReads: Record<string, string[]>;
  /** `a → b` → why: imports against the layering, left out of the cycle check and printed as open cycles (debt). */
  backEdges: Record<string, string>;
}

export const BOUNDARIES: Boundaries = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'domain-boundaries.json'), 'utf8'));
const DURABLE_OBJECT_DOMAINS = BOUNDARIES.durableObjects;

/** The shared kernel: any domain may import any of its files; it imports no domain. */
export const KERNEL = 'platform';
/** Files that wire the domains together (may import anything; nothing but other composition files imports them). */
export const COMPOSITION = 'composition';
const COMPOSITION_FILES = new Set(['workers/app.ts', 'workers/index.ts', 'workers/composition.ts']);
/** Bindings and configuration: a kernel file, importing nothing but platform. */
const KERNEL_FILES = new Set(['workers/env.ts']);

export interface ImportEdge {
  from: string;
  to: string;
  fromFile: string;
  toFile: string;
}

export function isTestFile(file: string): boolean {
  return /\.test\.ts$/.test(file) || /(^|\/)test-[^/]*\.ts$/.test(file) || file.startsWith('test/');
}

/** The domain a repository-relative file belongs to, or undefined for files outside the backend. */
export function domainOf(file: string): string | undefined {
  if (COMPOSITION_FILES.has(file)) return COMPOSITION;
  if (KERNEL_FILES.has(file)) return KERNEL;
  const [top, second, third] = file.split('/');
  if (top === 'workers' && third !== undefined) return second;
  if (top === 'durable-objects' && second !== undefined) return DURABLE_OBJECT_DOMAINS[second];
  return undefined;
}

/** Whether an import of `toFile` from a file of another domain is allowed, and if so, why. */
export function allowedCrossing(fromFile: string, toFile: string, boundaries: Boundaries = BOUNDARIES): string | undefined {
  const from = domainOf(fromFile);
  const to = domainOf(toFile);
  if (to === KERNEL) return 'kernel';
  if (from !== undefined && to !== undefined && toFile.endsWith('/tables.ts') && boundaries.tableReads[from]?.includes(to)) return 'table read (debt)';
  if (/^workers\/[^/]+\/index\.ts$/.test(toFile)) return 'front door';
  // The composition layer wires routers, queue consumers, cron jobs and Durable Object classes from their own files:
  // in a front door they would drag every route module into each import of it (and a front door is also loaded in
  // Node, where a Durable Object class cannot be).
  if (from === COMPOSITION) return 'composition';
  if (/^workers\/[^/]+\/tables\.ts$/.test(fromFile) && /^workers\/[^/]+\/tables\.ts$/.test(toFile)) return 'foreign key';
  return undefined;
}

function resolveSpecifier(root: string, fromFile: string, specifier: string): string | undefined {
  let target: string;
  if (specifier.startsWith('@/')) target = join(root, 'workers', specifier.slice(2));
  else if (specifier.startsWith('@do/')) target = join(root, 'durable-objects', specifier.slice(4));
  else if (specifier.startsWith('.')) target = resolve(dirname(join(root, fromFile)), specifier);
  else return undefined;
  const rel = relative(root, target).split(sep).join('/').replace(/\.ts$/, '');
  return [`${rel}.ts`, `${rel}/index.ts`].find((candidate) => existsSync(join(root, candidate)));
}

function sourceFiles(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(root, path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every import between two different domains in the production files (tests may reach into internals). */
export function crossDomainImports(root: string): ImportEdge[] {
  const files = [...sourceFiles(root, 'workers'), ...sourceFiles(root, 'durable-objects')].filter((file) => !isTestFile(file));
  return files.flatMap((fromFile) => {
    const from = domainOf(fromFile);
    if (from === undefined) return [];
    const { importedFiles } = ts.preProcessFile(readFileSync(join(root, fromFile), 'utf8'), true, true);
    return importedFiles.flatMap(({ fileName }) => {
      const toFile = resolveSpecifier(root, fromFile, fileName);
      const to = toFile === undefined ? undefined : domainOf(toFile);
      return toFile !== undefined && to !== undefined && to !== from ? [{ from, to, fromFile, toFile }] : [];
    });
  });
}

/** Domain → the domains it imports (composition excluded: it sits on top of everything). */
export function domainGraph(edges: ImportEdge[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (from === COMPOSITION) continue;
    if (!graph.has(to)) graph.set(to, new Set());
    graph.set(from, (graph.get(from) ?? new Set()).add(to));
  }
  return graph;
}

/** The strongly connected components with more than one domain (Tarjan): each is an import cycle. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** Layers bottom → top: a domain sits one above the highest domain it imports (only defined without cycles). */
export function layers(graph: Map<string, Set<string>>): string[][] {
  const depth = new Map<string, number>();
  const depthOf = (node: string): number => {
    const known = depth.get(node);
    if (known !== undefined) return known;
    depth.set(node, 0);
    const value = Math.max(-1, ...[...(graph.get(node) ?? [])].map(depthOf)) + 1;
    depth.set(node, value);
    return value;
  };
  const result: string[][] = [];
  for (const node of [...graph.keys()].sort()) (result[depthOf(node)] ??= []).push(node);
  return result;
}

export interface GraphReview {
  /** The domain graph without the allowed back edges. */
  graph: Map<string, Set<string>>;
  /** Bottom → top (empty when a cycle remains). */
  layers: string[][];
  /** The allowed back edges that exist, with why. */
  openBackEdges: [edge: string, why: string][];
  errors: string[];
}

const edgeName = (from: string, to: string) => `${from} → ${to}`;

/** Applies the rule and its allowances to the imports: what the check prints and the errors it fails on. */
export function reviewDomainGraph(edges: ImportEdge[], boundaries: Boundaries = BOUNDARIES): GraphReview {
  const full = domainGraph(edges);
  const errors = edges
    .filter((edge) => allowedCrossing(edge.fromFile, edge.toFile, boundaries) === undefined)
    .map((edge) => `forbidden import ${edge.fromFile} → ${edge.toFile}: use @/${edge.to} (its front door)`);
  for (const [from, owners] of Object.entries(boundaries.tableReads))
    for (const to of owners)
      if (!edges.some((edge) => edge.from === from && edge.to === to && edge.toFile.endsWith('/tables.ts') && !edge.fromFile.endsWith('/tables.ts')))
        errors.push(`allowance no longer needed: ${from} reads the tables of ${to} (remove it from scripts/domain-boundaries.json)`);
  const graph = new Map([...full].map(([from, tos]) => [from, new Set([...tos].filter((to) => !(edgeName(from, to) in boundaries.backEdges)))]));
  const openBackEdges = Object.entries(boundaries.backEdges).filter(([edge]) => {
    const [from, to] = edge.split(' → ');
    const open = from !== undefined && to !== undefined && full.get(from)?.has(to) === true;
    if (!open) errors.push(`allowance no longer needed: back edge ${edge} (remove it from scripts/domain-boundaries.json)`);
    return open;
  });
  const loops = cycles(graph);
  for (const loop of loops) errors.push(`import cycle between domains: ${loop.join(' ↔ ')}`);
  return { graph, layers: loops.length === 0 ? layers(graph) : [], openBackEdges, errors };
}
