/**
 * `nightshift oai`: explore an OAI-PMH repository before harvesting it.
 *
 *   nightshift oai identify URL [--json]
 *   nightshift oai formats URL [--json]
 *   nightshift oai sets URL [--json]
 *   nightshift oai list URL [--set S] [--from D] [--until D] [--format F] [--json]
 *
 * `list --json` prints one JSON object per record (JSON Lines): identifier, datestamp, deleted, sets.
 * An OAI error answer exits 1 with its code; noRecordsMatch is an empty list (exit 0).
 */
import { parseArgs } from "node:util";
import { createOaiClient } from "../../oai/client.js";
import { OaiError } from "../../oai/errors.js";
import { chooseFormat } from "../../oai/formats/index.js";
import { createHarvester, type Harvester } from "../../oai/harvester.js";

export const summary = "explore an OAI-PMH repository: identify, formats, sets, list";

const USAGE = `Usage:
  nightshift oai identify URL [--json]          what the repository says of itself (granularity, deletions)
  nightshift oai formats URL [--json]           its metadata formats (the one a harvest would choose is marked)
  nightshift oai sets URL [--json]              its sets
  nightshift oai list URL [--set S] [--from D] [--until D] [--format F] [--json]
                                                its records' headers (--format: default oai_dc);
                                                --json: one {"identifier","datestamp","deleted","sets"} a line
Exit codes: 0 done (also when no record matches), 1 the repository answered an error (its code is printed)
or could not be reached, 2 usage error.
`;

class UsageError extends Error {}

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function identify(h: Harvester, json: boolean): Promise<void> {
  const id = await h.identify();
  if (json) return out(JSON.stringify(id));
  out(`repository:  ${id.repositoryName}`);
  out(`base URL:    ${id.baseURL}`);
  out(`protocol:    ${id.protocolVersion}`);
  out(`granularity: ${id.granularity}`);
  out(`earliest:    ${id.earliestDatestamp}`);
  out(`deletions:   ${id.deletedRecord}`);
  if (id.adminEmails.length) out(`admin:       ${id.adminEmails.join(", ")}`);
}

async function formats(h: Harvester, json: boolean): Promise<void> {
  const list = await h.listMetadataFormats();
  const chosen = chooseFormat(list);
  for (const f of list) {
    if (json) out(JSON.stringify({ ...f, preferred: f.metadataPrefix === chosen }));
    else
      out(`${f.metadataPrefix === chosen ? "*" : " "} ${f.metadataPrefix.padEnd(12)} ${f.metadataNamespace}`);
  }
}

async function sets(h: Harvester, json: boolean): Promise<void> {
  for await (const s of h.listSets()) out(json ? JSON.stringify(s) : `${s.setSpec}\t${s.setName}`);
}

async function list(
  h: Harvester,
  v: Record<string, string | boolean | undefined>,
  json: boolean,
): Promise<void> {
  const granularity = v.from || v.until ? (await h.identify()).granularity : undefined;
  const records = h.listRecords(
    {
      metadataPrefix: (v.format as string | undefined) ?? "oai_dc",
      set: v.set as string | undefined,
      from: v.from as string | undefined,
      until: v.until as string | undefined,
    },
    granularity,
  );
  let count = 0;
  for await (const r of records.records()) {
    count++;
    const row = {
      identifier: r.identifier.trim(),
      datestamp: r.datestamp.trim(),
      deleted: r.deleted,
      sets: r.sets,
    };
    out(json ? JSON.stringify(row) : `${row.identifier}\t${row.datestamp}${row.deleted ? "\tdeleted" : ""}`);
  }
  if (!json) process.stderr.write(`${count} record(s)\n`);
}

export default async function oaiCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (!sub || sub === "--help" || sub === "-h" || sub === "help") {
      process.stdout.write(USAGE);
      return sub ? 0 : 2;
    }
    if (!["identify", "formats", "sets", "list"].includes(sub))
      throw new UsageError(`unknown sub-command '${sub}'`);
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        json: { type: "boolean", default: false },
        set: { type: "string" },
        from: { type: "string" },
        until: { type: "string" },
        format: { type: "string" },
      },
    });
    if (positionals.length !== 1) throw new UsageError("give the repository's OAI-PMH base URL");
    if (sub !== "list" && (values.set || values.from || values.until || values.format)) {
      throw new UsageError("--set, --from, --until and --format go with list");
    }
    const h = createHarvester(
      createOaiClient({ baseUrl: positionals[0], onRetry: (m) => process.stderr.write(`${m}\n`) }),
    );
    const json = values.json === true;
    if (sub === "identify") await identify(h, json);
    else if (sub === "formats") await formats(h, json);
    else if (sub === "sets") await sets(h, json);
    else await list(h, values, json);
    return 0;
  } catch (err) {
    if (
      err instanceof UsageError ||
      (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"))
    ) {
      process.stderr.write(`nightshift oai: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof OaiError) {
      process.stderr.write(`nightshift oai: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
