/**
 * The MARC commands people run, side by side with yaz-marcdump (when installed) on the same 100,000-record
 * file: the corpus's pride-and-prejudice-fixed.mrc repeated 261 times, made in a temp dir.
 *
 *   marc convert --to marcxml      vs  yaz-marcdump -o marcxml
 *   marc convert --to iso2709      vs  yaz-marcdump -i marcxml -o marc   (from yaz's MARCXML of the file)
 *   marc count                     vs  yaz-marcdump -n
 *
 * CPU (user + system) and wall time of each, min and median of `runs`, the two commands run in turn so both
 * see the same load (the load average is printed: the machine may be shared); the ratio is Nightshift's
 * median CPU over yaz's. A last row gives the floor: Node starting an empty ES module, which every
 * `nightshift` command pays before any of its own code runs.
 * The CLI is compiled into the temp dir first (`tsc`, as `npm run build` does), so start-up is what an
 * installed `nightshift` pays, not the TypeScript loader's.
 *
 *   npm run bench -- marc-commands            (or npx tsx bench/marc-commands.ts [runs=7] [repeat=261])
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const runs = Number(process.argv[2] ?? 7);
const repeat = Number(process.argv[3] ?? 261);

interface Timing {
  wall: number;
  cpu: number;
}

/** Runs `command` through bash's `time` (children's user + system time), stdout to `out`. */
function timed(command: string[], out: string): Timing {
  const script = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" > "$OUT" ; } 2>&1 >/dev/null | tail -1';
  const run = spawnSync("bash", ["-c", script, "bash", ...command], {
    encoding: "utf8",
    env: { ...process.env, OUT: out },
  });
  const [wall, user, sys] = run.stdout.trim().split(/\s+/).map(Number);
  if (run.status !== 0 || !Number.isFinite(wall))
    throw new Error(`${command.join(" ")} failed: ${run.stderr}`);
  return { wall, cpu: user + sys };
}

interface Summary {
  cpu: { min: number; median: number };
  wall: { min: number; median: number };
}

function summary(times: Timing[]): Summary {
  const pick = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { min: sorted[0], median: sorted[Math.floor((sorted.length - 1) / 2)] };
  };
  return { cpu: pick(times.map((t) => t.cpu)), wall: pick(times.map((t) => t.wall)) };
}

/** `runs` timings of each command, run in turn (ours, theirs, ours, ...) so both meet the same load. */
function inTurn(commands: (string[] | undefined)[], out: string): (Summary | undefined)[] {
  const times: Timing[][] = commands.map(() => []);
  for (let i = 0; i < runs; i++)
    commands.forEach((command, k) => {
      if (command) times[k].push(timed(command, out));
    });
  return commands.map((command, k) => (command ? summary(times[k]) : undefined));
}

function hasYaz(): boolean {
  return spawnSync("bash", ["-c", "command -v yaz-marcdump"], { encoding: "utf8" }).status === 0;
}

/**
 * Compiles src/ into `root`/dist and copies the data files the sources load at run time, and package.json
 * (the version is read from it), laid out as an installed package.
 */
function buildCli(root: string): string {
  const dir = join(root, "dist");
  cpSync(join(ROOT, "package.json"), join(root, "package.json"));
  const tsc = spawnSync(
    process.execPath,
    [
      join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "-p",
      join(ROOT, "tsconfig.build.json"),
      "--outDir",
      dir,
    ],
    { encoding: "utf8" },
  );
  if (tsc.status !== 0) throw new Error(`tsc failed: ${tsc.stdout}${tsc.stderr}`);
  const walk = (from: string) => {
    for (const name of readdirSync(from)) {
      const path = join(from, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(json|xml|mrc|html|css|svg|txt)$/.test(name))
        cpSync(path, join(dir, relative(join(ROOT, "src"), path)));
    }
  };
  walk(join(ROOT, "src"));
  return join(dir, "cli", "main.js");
}

const dir = mkdtempSync(join(tmpdir(), "nightshift-bench-marc-"));
try {
  const seed = readFileSync(join(ROOT, "test", "fixtures", "corpus", "pride-and-prejudice-fixed.mrc"));
  const mrc = join(dir, "records.mrc");
  writeFileSync(mrc, Buffer.concat(Array.from({ length: repeat }, () => seed)));
  const cli = buildCli(join(dir, "cli"));
  const nightshift = (...args: string[]) => [process.execPath, cli, "marc", ...args];
  const yaz = hasYaz();
  const xml = join(dir, "records.xml");
  // The MARCXML input: yaz's when it is there (what the issue measured), else Nightshift's own.
  if (yaz) timed(["yaz-marcdump", "-o", "marcxml", mrc], xml);
  else timed(nightshift("convert", mrc, "--to", "marcxml"), xml);
  timed(nightshift("count", mrc), join(dir, "count.txt"));
  const rows = [
    {
      name: "ISO 2709 -> MARCXML",
      ours: nightshift("convert", mrc, "--to", "marcxml"),
      theirs: ["yaz-marcdump", "-o", "marcxml", mrc],
    },
    {
      name: "MARCXML -> ISO 2709",
      ours: nightshift("convert", xml, "--to", "iso2709"),
      theirs: ["yaz-marcdump", "-i", "marcxml", "-o", "marc", xml],
    },
    { name: "read and count", ours: nightshift("count", mrc), theirs: ["yaz-marcdump", "-n", mrc] },
  ];
  const mb = (statSync(mrc).size / 1024 / 1024).toFixed(1);
  const records = readFileSync(join(dir, "count.txt"), "utf8").trim();
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  console.log(
    `file: ${records} records, ${mb} MB (pride-and-prejudice-fixed.mrc x ${repeat}); ${runs} runs each, in turn`,
  );
  console.log(`load average at start: ${load()}`);
  const show = (s: Summary) =>
    `CPU ${s.cpu.min.toFixed(2)}/${s.cpu.median.toFixed(2)} s, wall ${s.wall.min.toFixed(2)}/${s.wall.median.toFixed(2)} s`.padEnd(
      36,
    );
  console.log(
    `${"command".padEnd(22)} ${"nightshift (min/median)".padEnd(36)} ${"yaz-marcdump (min/median)".padEnd(36)} ratio (median CPU)`,
  );
  for (const row of rows) {
    const [ours, theirs] = inTurn([row.ours, yaz ? row.theirs : undefined], join(dir, "out"));
    const ratio = ours && theirs ? (ours.cpu.median / theirs.cpu.median).toFixed(2) : "-";
    console.log(
      `${row.name.padEnd(22)} ${show(ours!)} ${theirs ? show(theirs) : "(not installed)".padEnd(36)} ${ratio}`,
    );
  }
  // The floor: Node itself, starting an empty ES module.
  const empty = join(dir, "empty.mjs");
  writeFileSync(empty, "");
  const [node] = inTurn([[process.execPath, empty]], join(dir, "out"));
  console.log(`${"node, empty module".padEnd(22)} ${show(node!)}`);
  console.log(`load average at end: ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
