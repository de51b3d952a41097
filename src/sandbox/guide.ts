/**
 * What a sandbox holds, in words for a newcomer (`nightshift sandbox --help`, the `serve` banner): which
 * OCLC numbers exist, which are merged into which, which are held, the holding codes, and how to load one's
 * own records. Made from the seed data itself (the records of a BibStore and the accounts), never from a
 * hand-written list, so it cannot drift from what the sandbox answers.
 */
import type { SandboxAccount } from "./accounts.js";
import type { BibStore } from "./domain/bib-store.js";
import { ASSIGNED_BASE } from "./seed/corpus.js";
import { SYNTHETIC_BASE, syntheticMergedInto } from "./seed/synthetic.js";
import type { SandboxState } from "./state.js";

/** Corpus records shown by number and title (the rest are counted). */
const EXAMPLES = 8;

/** The lines of the guide, indented by two spaces, without a trailing newline. */
export function sandboxGuide(state: SandboxState, accounts: readonly SandboxAccount[]): string[] {
  const { bibs } = state;
  const symbol = accounts[0]?.symbol ?? "";
  const lines = [
    "What this sandbox holds (its seed data; set, unset, create and replace change it while it runs):",
  ];
  const numbers = [...bibs.seedNumbers].sort((a, b) => a - b);
  const assigned = numbers.filter((n) => n > ASSIGNED_BASE && n < SYNTHETIC_FLOOR_OF_ASSIGNED);
  const own = numbers.filter((n) => !assigned.includes(n));
  if (numbers.length > 0) {
    lines.push(
      `  ${numbers.length} MARC records (Nightshift's corpus and any --seed files): ${own.length} under their own ` +
        `OCLC numbers${assigned.length > 0 ? `, ${assigned.length} numbered ${assigned[0]}..${assigned.at(-1)}` : ""}; for example`,
    );
    for (const n of examples(own, assigned)) {
      const title = titleOf(bibs, n);
      lines.push(
        `    ${String(n).padEnd(12)} ${state.isHeld(symbol, n) ? "held    " : "not held"}  ${title}`,
      );
    }
  }
  const synthetic = bibs.syntheticCount;
  if (synthetic > 0) {
    lines.push(
      `  ${synthetic} synthetic records ${SYNTHETIC_BASE + 1}..${SYNTHETIC_BASE + synthetic} ` +
        `("Synthetic record 1" ...; ISBN 979 + the number's last 9 digits + check digit)`,
    );
  }
  lines.push("  merged numbers (asking for the old number answers with the current record):");
  const merged = [...bibs.merged].sort((a, b) => a[0] - b[0]);
  for (const [from, to] of merged) lines.push(`    ${from} -> ${to}`);
  const firstMerged = synthetic >= 1000 ? syntheticMergedInto(1000) : undefined;
  if (firstMerged !== undefined)
    lines.push(
      `    every 1000th synthetic number into the one before it: ${SYNTHETIC_BASE + 1000} -> ${firstMerged}`,
    );
  if (merged.length === 0 && firstMerged === undefined) lines.push("    none");
  lines.push(
    "  held: every institution holds every even-numbered seed record at start; odd ones and records created",
    "    in the sandbox are not held",
  );
  lines.push("  holding codes:");
  for (const a of accounts)
    lines.push(
      `    ${a.symbol} (${a.registryId}): ${a.holdingCodes.map((c) => `${c.code} ${c.name}`).join(", ")}`,
    );
  lines.push(
    "  your own records: nightshift sandbox --seed FILE or --seed DIR (ISO 2709, MARCXML, MARC-in-JSON or .mrk);",
    `    each keeps the OCLC number of its 001 or 035 (OCoLC), the others are numbered from ${ASSIGNED_BASE + 100_001}`,
  );
  return lines;
}

/** Numbers assigned to corpus records lie in ASSIGNED_BASE..; --seed files continue 100,000 higher. */
const SYNTHETIC_FLOOR_OF_ASSIGNED = ASSIGNED_BASE + 100_000;

/** A few records with numbers of their own, held and not held, then an assigned one. */
function examples(own: readonly number[], assigned: readonly number[]): number[] {
  const held = own.filter((n) => n % 2 === 0).slice(0, EXAMPLES / 2);
  const notHeld = own.filter((n) => n % 2 !== 0).slice(0, EXAMPLES / 2 - 1);
  return [...held, ...notHeld, ...assigned.slice(0, 1)].sort((a, b) => a - b);
}

function titleOf(bibs: BibStore, ocn: number): string {
  const field = bibs.get(ocn)?.record.get("245");
  const title = field?.kind === "data" ? (field.subfields.find((s) => s.code === "a")?.value ?? "") : "";
  return title.replace(/\s*[/:;,.]$/, "").slice(0, 60);
}
