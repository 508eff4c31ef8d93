// Prints what each page loads from dist/ (its JS and CSS, shared chunks included), raw and gzipped.
import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const dist = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'dist');
const rows = [];
for (const file of readdirSync(dist).filter((f) => f.endsWith('.html')).sort()) {
  const html = readFileSync(resolve(dist, file), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  let raw = 0;
  let gzip = 0;
  for (const asset of new Set(assets)) {
    const content = readFileSync(resolve(dist, asset));
    raw += content.length;
    gzip += gzipSync(content, { level: 9 }).length;
  }
  const page = readFileSync(resolve(dist, file));
  raw += page.length;
  gzip += gzipSync(page, { level: 9 }).length;
  rows.push({ page: file, files: new Set(assets).size + 1, raw: `${(raw / 1024).toFixed(1)} KiB`, gzip: `${(gzip / 1024).toFixed(1)} KiB` });
}
console.table(rows);
