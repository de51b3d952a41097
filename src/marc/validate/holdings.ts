/**
 * MARC 21 holdings records (the `lhr` profile): what WorldCat's local holdings records need. The bibliographic
 * schema does not apply; these rules do: Leader/06 x, y, v or u; 004 an OCLC number; one 852 with $b; 008 of
 * 32 positions when present; only holdings tags; indicators and subfield codes well formed; 583 retention
 * actions with a date when they commit to retain.
 */
import { parseOclcNumber } from "../oclc-number.js";
import { type MarcRecord, subfieldValues } from "../record.js";
import { issue, quote, type ValidationIssue, where } from "./issue.js";

/** Tags a holdings record may carry (MARC 21 Format for Holdings Data), plus local 9XX. */
const HOLDINGS_TAGS = new Set([
  "001",
  "003",
  "004",
  "005",
  "006",
  "007",
  "008",
  "010",
  "014",
  "016",
  "017",
  "020",
  "022",
  "024",
  "027",
  "030",
  "035",
  "037",
  "040",
  "066",
  "337",
  "338",
  "347",
  "506",
  "538",
  "541",
  "561",
  "562",
  "563",
  "583",
  "841",
  "842",
  "843",
  "844",
  "845",
  "850",
  "852",
  "853",
  "854",
  "855",
  "856",
  "863",
  "864",
  "865",
  "866",
  "867",
  "868",
  "876",
  "877",
  "878",
  "880",
  "882",
  "883",
  "884",
]);

const NON_REPEATABLE = new Set(["001", "003", "004", "005", "008"]);
const IND_852_1 = " 012345678";
const IND_852_2 = " 012";

export function validateHoldings(record: MarcRecord): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  const leader = record.leader;
  if (!"xyvu".includes(leader[6]) || leader[6] === undefined)
    out.push(
      issue(
        "error",
        "NOT_HOLDINGS",
        `Leader/06 is ${quote(leader[6] ?? "")}; a holdings record has x (single-part), v (multipart), y (serial) or u (unknown)`,
        "LDR",
      ),
    );
  const counts = new Map<string, number>();
  for (const f of record.fields) {
    const n = (counts.get(f.tag) ?? 0) + 1;
    counts.set(f.tag, n);
    if (!/^\d{3}$/.test(f.tag)) {
      out.push(issue("error", "INVALID_TAG", `${where(f.tag)}: a tag is three digits`, f.tag, n));
      continue;
    }
    if (n === 2 && NON_REPEATABLE.has(f.tag))
      out.push(
        issue(
          "error",
          "NON_REPEATABLE_FIELD",
          `${where(f.tag, n)}: field ${f.tag} is not repeatable`,
          f.tag,
          n,
        ),
      );
    if (!HOLDINGS_TAGS.has(f.tag) && !f.tag.startsWith("9"))
      out.push(
        issue(
          "warning",
          "NOT_HOLDINGS_FIELD",
          `${where(f.tag, n)}: not a field of the holdings format`,
          f.tag,
          n,
        ),
      );
    if (f.kind === "control") continue;
    for (const s of f.subfields)
      if (!/^[a-z0-9]$/.test(s.code))
        out.push(
          issue(
            "error",
            "INVALID_SUBFIELD_CODE",
            `${where(f.tag, n)}: subfield code ${quote(s.code)}`,
            f.tag,
            n,
            s.code,
          ),
        );
    if (f.subfields.length === 0)
      out.push(issue("error", "EMPTY_FIELD", `${where(f.tag, n)}: no subfields`, f.tag, n));
  }
  const f004 = record.controlValue("004");
  if (f004 === undefined)
    out.push(
      issue(
        "error",
        "MISSING_004",
        "the record has no field 004 (OCLC number of the bibliographic record)",
        "004",
      ),
    );
  else if (parseOclcNumber(f004) === undefined)
    out.push(issue("error", "BAD_004", `field 004 is ${quote(f004)}; it must be an OCLC number`, "004", 1));
  const f008 = record.controlValue("008");
  if (f008 !== undefined && f008.length !== 32)
    out.push(
      issue(
        "error",
        "BAD_008_LENGTH",
        `field 008 has ${f008.length} characters; a holdings 008 has 32`,
        "008",
        1,
      ),
    );
  const f852s = record.getFields("852");
  if (f852s.length === 0)
    out.push(issue("error", "MISSING_852", "the record has no field 852 (location)", "852"));
  f852s.forEach((f, i) => {
    if (f.kind !== "data") return;
    if (!IND_852_1.includes(f.ind1))
      out.push(
        issue(
          "error",
          "INVALID_INDICATOR",
          `${where("852", i + 1)}: indicator 1 is ${quote(f.ind1)}; expected blank or 0-8`,
          "852",
          i + 1,
        ),
      );
    if (!IND_852_2.includes(f.ind2))
      out.push(
        issue(
          "error",
          "INVALID_INDICATOR",
          `${where("852", i + 1)}: indicator 2 is ${quote(f.ind2)}; expected blank, 0, 1 or 2`,
          "852",
          i + 1,
        ),
      );
    if (subfieldValues(f, "b").every((v) => v.trim() === ""))
      out.push(
        issue(
          "error",
          "MISSING_SUBFIELD",
          `${where("852", i + 1, "b")}: the holding location is missing`,
          "852",
          i + 1,
          "b",
        ),
      );
  });
  record.getFields("583").forEach((f, i) => {
    if (f.kind !== "data") return;
    const action = subfieldValues(f, "a").join(" ");
    if (action.trim() === "")
      out.push(
        issue(
          "error",
          "MISSING_SUBFIELD",
          `${where("583", i + 1, "a")}: the action is missing`,
          "583",
          i + 1,
          "a",
        ),
      );
    if (/committed to retain/i.test(action))
      for (const code of ["c", "d"]) {
        const v = subfieldValues(f, code)[0];
        if (v !== undefined && !/^\d{8}$/.test(v.trim()))
          out.push(
            issue(
              "error",
              "BAD_DATE",
              `${where("583", i + 1, code)}: ${quote(v)} is not a date YYYYMMDD`,
              "583",
              i + 1,
              code,
            ),
          );
      }
  });
  return out;
}
