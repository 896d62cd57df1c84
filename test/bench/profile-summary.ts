/**
 * Summarises a .cpuprofile: the functions with the most self time, self time per source file,
 * and the inclusive time of every function (each sample counted once per function however
 * deep it recurses). Usage: `npx tsx test/bench/profile-summary.ts FILE [TOP=30] [FILTER]`;
 * FILTER keeps the inclusive rows whose function or file contains it.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  readonly children?: readonly number[];
}
interface Profile { readonly nodes: readonly ProfileNode[]; readonly samples: readonly number[]; readonly timeDeltas: readonly number[] }

const [file, topText, filter] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts FILE [TOP] [FILTER]');
const top = Number(topText ?? 30);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

const shortUrl = (url: string): string => url.replace(/^file:\/\/.*?\/(node_modules|speed-writes|main)\//, '$1/').replace(/^node:/, 'node:');
const label = (node: ProfileNode): string =>
  `${node.callFrame.functionName || '(anonymous)'} ${shortUrl(node.callFrame.url)}:${String(node.callFrame.lineNumber + 1)}:${String(node.callFrame.columnNumber + 1)}`;

const self = new Map<string, number>();
const perFile = new Map<string, number>();
const inclusive = new Map<string, number>();
const inclusiveFile = new Map<string, number>();
/** Native self time (SQLite, crypto, JSON) charged to the nearest caller in the project's own code. */
const nativeByCaller = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, index) => {
  const dt = profile.timeDeltas[index] ?? 0;
  total += dt;
  const node = byId.get(id)!;
  self.set(label(node), (self.get(label(node)) ?? 0) + dt);
  const fileName = shortUrl(node.callFrame.url) || node.callFrame.functionName;
  perFile.set(fileName, (perFile.get(fileName) ?? 0) + dt);
  if (!node.callFrame.url) {
    let at = parent.get(id);
    const isProjectCode = (url: string): boolean => url.startsWith('file:') && !url.includes('/node_modules/');
    while (at !== undefined && !isProjectCode(byId.get(at)!.callFrame.url)) at = parent.get(at);
    const caller = at === undefined ? '(none)' : `${node.callFrame.functionName} <- ${label(byId.get(at)!)}`;
    nativeByCaller.set(caller, (nativeByCaller.get(caller) ?? 0) + dt);
  }
  const seenFiles = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const url = shortUrl(byId.get(at)!.callFrame.url);
    if (url && !seenFiles.has(url)) {
      seenFiles.add(url);
      inclusiveFile.set(url, (inclusiveFile.get(url) ?? 0) + dt);
    }
  }
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const name = label(byId.get(at)!);
    if (!seen.has(name)) {
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
    }
  }
});
const print = (title: string, map: Map<string, number>, keep: (name: string) => boolean = () => true): void => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].filter(([name]) => keep(name)).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
};
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
print('self time by function', self);
print('self time by file', perFile);
print('native self time by nearest caller', nativeByCaller);
print('inclusive time by file', inclusiveFile, (name) => filter === undefined || name.includes(filter));
print('inclusive time by function', inclusive, (name) => filter === undefined || name.includes(filter));
