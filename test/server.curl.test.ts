/** The seed's curl example, verbatim (with our auth header), against the real server. */
import { execFile, execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Json, startTestServer, type TestServer } from "./fixtures/server/harness.js";

const hasCurl = (() => {
  try {
    execFileSync("curl", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** The seed's example; TOKEN and the base URL come from the environment. */
const SEED_EXAMPLE = `curl -X POST \\
  "$BASE/api/system/scripts/index-discovery/processes" \\
  -H "Authorization: Bearer $TOKEN" \\
  -H 'content-type: multipart/form-data' \\
  -F 'properties=[{
"name" : "-i",
"value" : "b829ee28-3579-4273-a1f7-7857801be34c"
}, {
"name" : "-f",
"value" : "true"
}]'`;

const SEED_PROPERTIES = `[{
"name" : "-i",
"value" : "b829ee28-3579-4273-a1f7-7857801be34c"
}, {
"name" : "-f",
"value" : "true"
}]`;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

function sh(script: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("sh", ["-c", script], { env: { ...process.env, ...env } }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
    ),
  );
}

/** Runs the example with curl, or sends the same multipart body with FormData where curl is missing. */
async function seedExample(token: string): Promise<Json> {
  if (hasCurl) return JSON.parse(await sh(SEED_EXAMPLE, { BASE: t.url, TOKEN: token }));
  const form = new FormData();
  form.append("properties", SEED_PROPERTIES);
  const res = await fetch(`${t.url}/api/system/scripts/index-discovery/processes`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return (await res.json()) as Json;
}

describe("the seed's curl example", () => {
  it("starts index-discovery with -i and -f and answers the Process", async () => {
    const before = await t.processCount();
    const body = await seedExample(t.users.op.token);
    expect(body).toMatchObject({
      scriptName: "index-discovery",
      processStatus: "SCHEDULED",
      userId: t.users.op.id,
      // Echoed as sent, as DSpace does (issue 18 item 4): the short names stay short.
      parameters: [
        { name: "-i", value: "b829ee28-3579-4273-a1f7-7857801be34c" },
        { name: "-f", value: "true" },
      ],
    });
    expect(await t.processCount()).toBe(before + 1);
    const done = await t.waitForStatus(body.processId, "COMPLETED");
    expect(done.result).toEqual({ index: "b829ee28-3579-4273-a1f7-7857801be34c", force: true });
  });

  it("accepts the bare token of the seed (-H 'Authorization: TOKEN'); a wrong one is 401", async () => {
    const status = async (token: string) => {
      if (hasCurl) {
        const script = SEED_EXAMPLE.replace(
          '"Authorization: Bearer $TOKEN"',
          '"Authorization: $TOKEN"',
        ).replace("curl -X POST", "curl -s -o /dev/null -w '%{http_code}' -X POST");
        return sh(script, { BASE: t.url, TOKEN: token });
      }
      const form = new FormData();
      form.append("properties", SEED_PROPERTIES);
      const res = await fetch(`${t.url}/api/system/scripts/index-discovery/processes`, {
        method: "POST",
        headers: { authorization: token },
        body: form,
      });
      return String(res.status);
    };
    expect(await status(t.users.op.token)).toBe("202");
    expect(await status("nst_wrong")).toBe("401");
  });

  it("uploads files with repeated file parts (-F file=@...)", async () => {
    const input = join(t.dataDir, "in.txt");
    await writeFile(input, "shelf list\n");
    const properties = '[{"name":"--input","value":"in.txt"}]';
    let body: Json;
    if (hasCurl) {
      const script = `curl -s -X POST "$BASE/api/system/scripts/upload/processes" -H "Authorization: Bearer $TOKEN" \\
      -F 'properties=${properties}' -F "file=@$INPUT"`;
      body = JSON.parse(await sh(script, { BASE: t.url, TOKEN: t.users.op.token, INPUT: input }));
    } else {
      const form = new FormData();
      form.append("properties", properties);
      form.append("file", new Blob([await readFile(input)]), "in.txt");
      const res = await t.call(t.users.op, "POST", "/api/system/scripts/upload/processes", { body: form });
      body = (await res.json()) as Json;
    }
    expect(body.processStatus).toBe("SCHEDULED");
    const done = await t.waitForStatus(body.processId, "COMPLETED");
    expect(done.result).toEqual({ bytes: 11 });
  });
});
