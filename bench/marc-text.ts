/**
 * MARCXML (and MARC-in-JSON, .mrk) read/write throughput on 100,000 records built in memory from the
 * corpus's MARCXML files. Run: `npx tsx bench/marc-text.ts [count]`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { MarcReader, MarcWriter } from "../src/marc/codec.js";
import { createMarcJsonWriter, readMarcJson } from "../src/marc/json.js";
import { readMarcXml } from "../src/marc/marcxml-reader.js";
import { parseMarcXmlString } from "../src/marc/marcxml-string.js";
import { createMarcXmlWriter } from "../src/marc/marcxml-writer.js";
import { createMrkWriter, readMrk } from "../src/marc/mrk.js";
import type { MarcRecord } from "../src/marc/record.js";

const CORPUS = new URL("../test/fixtures/corpus/", import.meta.url).pathname;
const count = Number(process.argv[2] ?? 100_000);

function corpusRecords(): MarcRecord[] {
  const out: MarcRecord[] = [];
  for (const name of readdirSync(CORPUS).filter((n) => n.endsWith(".xml") && !/missing|cruel/.test(n)))
    out.push(...parseMarcXmlString(readFileSync(join(CORPUS, name), "utf8")));
  return out;
}

/** A Writable that keeps the bytes (as one Buffer at the end) without copying them around. */
function sink(): { stream: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, bytes: () => Buffer.concat(chunks) };
}

async function* chunked(bytes: Buffer, size = 64 * 1024): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function measure(
  name: string,
  records: MarcRecord[],
  makeWriter: (out: Writable) => MarcWriter,
  reader: MarcReader,
): Promise<void> {
  const out = sink();
  const t0 = performance.now();
  const writer = makeWriter(out.stream);
  for (const r of records) await writer.write(r);
  await writer.close();
  const writeSeconds = (performance.now() - t0) / 1000;
  const bytes = out.bytes();
  const t1 = performance.now();
  let n = 0;
  for await (const _ of reader(chunked(bytes))) n++;
  const readSeconds = (performance.now() - t1) / 1000;
  if (n !== records.length) throw new Error(`${name}: read ${n} of ${records.length} records`);
  const mb = (bytes.length / 1e6).toFixed(0);
  console.log(
    `${name.padEnd(8)} write ${Math.round(records.length / writeSeconds)
      .toLocaleString("en")
      .padStart(9)} rec/s` +
      `   read ${Math.round(n / readSeconds)
        .toLocaleString("en")
        .padStart(9)} rec/s   (${mb} MB)`,
  );
}

const seed = corpusRecords();
const records = Array.from({ length: count }, (_, i) => seed[i % seed.length]);
console.log(`${count.toLocaleString("en")} records (${seed.length} distinct from the corpus), one core`);
await measure("marcxml", records, (o) => createMarcXmlWriter(o), readMarcXml);
await measure("json", records, (o) => createMarcJsonWriter(o, { ndjson: true }), readMarcJson);
await measure("mrk", records, (o) => createMrkWriter(o), readMrk);
