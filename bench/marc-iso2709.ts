/**
 * ISO 2709 benchmark: builds a file of N records (default 100,000) from the clean records of the corpus in a
 * temp dir, then times the writer and the reader and prints records/s and peak RSS.
 *
 *   npx tsx bench/marc-iso2709.ts [records] [corpusDir]
 */
import { createReadStream, createWriteStream, readdirSync, rmSync, statSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readIso2709 } from "../src/marc/iso2709-reader.js";
import { createIso2709Writer } from "../src/marc/iso2709-writer.js";
import type { MarcRecord } from "../src/marc/record.js";

const total = Number(process.argv[2] ?? 100_000);
const corpus = process.argv[3] ?? join(import.meta.dirname, "..", "test", "fixtures", "corpus");

async function corpusRecords(): Promise<MarcRecord[]> {
  const out: MarcRecord[] = [];
  for (const name of readdirSync(corpus).filter((f) => f.endsWith(".mrc"))) {
    for await (const item of readIso2709(createReadStream(join(corpus, name))))
      if (item.problems.length === 0) out.push(item.record);
  }
  return out;
}

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

const seed = await corpusRecords();
const dir = await mkdtemp(join(tmpdir(), "nightshift-bench-"));
const file = join(dir, "records.mrc");

let t = performance.now();
const writer = createIso2709Writer(createWriteStream(file));
for (let i = 0; i < total; i++) await writer.write(seed[i % seed.length]);
await writer.close();
const writeSeconds = (performance.now() - t) / 1000;

peakRss = 0;
t = performance.now();
let read = 0;
let fields = 0;
for await (const item of readIso2709(createReadStream(file))) {
  read++;
  fields += item.record.fields.length;
}
const readSeconds = (performance.now() - t) / 1000;
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
console.log(`file: ${total} records (${seed.length} distinct from the corpus), ${mb(statSync(file).size)}`);
console.log(
  `write: ${Math.round(total / writeSeconds).toLocaleString("en")} records/s (${writeSeconds.toFixed(2)} s)`,
);
console.log(
  `read:  ${Math.round(read / readSeconds).toLocaleString("en")} records/s (${readSeconds.toFixed(2)} s, ${fields} fields)`,
);
console.log(`peak RSS while reading: ${mb(peakRss)}`);
rmSync(dir, { recursive: true, force: true });
