/**
 * The module graph of src/: no module imports itself back through others (an import cycle makes
 * load order decide what is defined, and blurs which module holds an idea). Type-only imports
 * are erased at build time and are left out.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve('src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative runtime imports and re-exports of each file, resolved to paths. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const deps = [...text.matchAll(/^(?:import|export)\s+(?!type\b)[^'";]*?from\s+'(\.[^']+)'/gm)].map((m) => path.resolve(path.dirname(f), m[1]!));
    graph.set(f, deps);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 'open') found.push([...stack.slice(stack.indexOf(d)), d].map((x) => path.relative(ROOT, x)).join(' → '));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return found;
}

describe('src/ module graph', () => {
  it('finds a cycle when there is one (the check works)', () => {
    const g = new Map([['/a.ts', ['/b.ts']], ['/b.ts', ['/a.ts']]]);
    expect(cycles(g)).toHaveLength(1);
  });

  it('has no import cycle', () => {
    const files = sourceFiles(ROOT);
    expect(files.length).toBeGreaterThan(20);
    expect(cycles(importGraph(files))).toStrictEqual([]);
  });
});
