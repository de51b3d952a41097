/**
 * The web UI in a real browser (Debian's chromium through playwright-core) against a real `nightshift serve`
 * with a sandbox: sign in, run a holdings file and watch it live, the report, the failures file and its re-run,
 * cancel, the processes list, and what an operator may see. axe-core checks every page; each page is saved as
 * a screenshot under test-output/web/.
 */
import { readFile } from "node:fs/promises";
import BetterSqlite3 from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteFile } from "../src/store/sqlite/index.js";
import { launchChromium, screenshot, seriousViolations } from "./fixtures/web/browser.js";
import { startUiServer, type UiServer } from "./fixtures/web/server.js";

// Page-side functions (run in the browser by playwright) use the DOM; this program has no DOM types.
declare const document: {
  querySelector(
    selector: string,
  ): { textContent: string | null; getAttribute(name: string): string | null } | null;
  querySelectorAll(selector: string): { length: number };
  documentElement: { scrollWidth: number };
};
declare const window: { nightshiftNoReload?: number };
declare class DataTransfer {
  readonly items: { add(file: unknown): void };
}

let server: UiServer;
let browser: Browser;
let admin: BrowserContext;
let page: Page;
/** Set as the tests go: the first batch and its re-run of failures. */
let batchId = 0;

/** What the pages refresh on their own is waited for this long (they poll every few seconds). */
const LIVE = { timeout: 15_000 };

const OPERATOR = { name: "olga", password: "operator-password-1" };
/** Starts as an operator (to own a process), then is made a viewer. */
const VIEWER = { name: "vic", password: "viewer-password-1" };
const TABLET = { width: 800, height: 1100 };

/** Numbers that exist in the sandbox (seed 5000), one that is no number, one that is no record. */
const HOLDINGS = [
  ...Array.from({ length: 40 }, (_, i) => String(100000001 + i)),
  "not-a-number",
  "999999999",
].join("\n");

async function signIn(p: Page, name: string, password: string) {
  await p.goto(`${server.url}/`);
  await p.getByLabel("User name").fill(name);
  await p.getByLabel("Password").fill(password);
  await p.getByRole("button", { name: "Sign in" }).click();
  await p.getByRole("button", { name: "Sign out" }).waitFor();
}

async function expectAccessible(p: Page, name: string) {
  await screenshot(p, name);
  expect(await seriousViolations(p), `axe on ${name}`).toEqual([]);
}

/** A JSON write through the page's session: the CSRF cookie echoed in X-CSRF-Token, as the UI sends it. */
async function apiWrite(p: Page, method: "POST" | "DELETE", path: string, data?: unknown) {
  const csrf = (await p.context().cookies()).find((c) => c.name === "nightshift_csrf")?.value ?? "";
  const res = await p.request.fetch(`${server.url}${path}`, {
    method,
    headers: { "x-csrf-token": csrf, accept: "application/json" },
    ...(data === undefined ? {} : { data }),
  });
  expect(res.status(), `${method} ${path}: ${await res.text()}`).toBeLessThan(300);
  return (await res.json()) as { processId: number };
}

/** A process-cleaner run that waits an hour to start (SCHEDULED until cancelled). */
const delayedCleaner = () => ({
  properties: [
    { name: "--days", value: "30" },
    { name: "--dry-run", value: "true" },
  ],
  runAt: new Date(Date.now() + 3600_000).toISOString(),
});

beforeAll(async () => {
  server = await startUiServer({ latencyMs: 25 });
  await server.addUser(OPERATOR.name, "operator", OPERATOR.password);
  await server.addUser(VIEWER.name, "operator", VIEWER.password);
  browser = await launchChromium();
  admin = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  admin.setDefaultTimeout(15_000);
  page = await admin.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("web UI", () => {
  it("refuses a wrong password, then signs in and shows the dashboard", async () => {
    await page.goto(`${server.url}/`);
    // waited for, not read at once: on a busy machine the page renders after the load event
    await page.getByRole("heading", { name: "Nightshift" }).waitFor();
    await expectAccessible(page, "01-sign-in");
    await page.getByLabel("User name").fill("admin");
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("wrong user name or password");
    await page.getByLabel("Password").fill(server.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    await page.getByText("Nothing is running.").waitFor();
    await expectAccessible(page, "02-dashboard");
  });

  it("lists the scripts with their parameters", async () => {
    await page.getByRole("link", { name: "Scripts" }).click();
    await page.getByRole("heading", { name: "worldcat-holdings" }).waitFor();
    await page.getByText("Parameters (", { exact: false }).first().click();
    await expectAccessible(page, "03-scripts");
  });

  it("shows the server's refusals beside the fields they name", async () => {
    await page.getByRole("link", { name: "New process of worldcat-holdings" }).click();
    await page.getByRole("heading", { name: "New process: worldcat-holdings" }).waitFor();
    await page.getByText("SANDBOX", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Start process" }).click();
    const actionError = page.locator("#param-action-error");
    await actionError.waitFor();
    expect(await actionError.textContent()).toContain("--action");
    expect(await page.getByLabel(/^action/).getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page, "04-new-process-refused");
  });

  it("uploads a holdings file by drag and drop, runs it, and the progress and log update live", async () => {
    await page.getByLabel(/^action/).selectOption("set");
    // Drop the file on the drop zone, as a user dragging it from their desktop.
    const data = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], "numbers.txt", { type: "text/plain" }));
      return dt;
    }, HOLDINGS);
    await page.dispatchEvent('[data-testid="drop-param-input"]', "drop", { dataTransfer: data });
    await page.getByText("numbers.txt (").waitFor();
    await page.getByRole("button", { name: "Start process" }).click();
    await page.waitForURL(/\/processes\/\d+$/);
    batchId = Number(new URL(page.url()).pathname.split("/").pop());
    // While it runs: a partial count and log lines, without a reload.
    const progress = await page.waitForFunction(() => {
      const status = document.querySelector('[data-testid="status"]')?.getAttribute("data-status");
      const text = document.querySelector(".progress-text")?.textContent ?? "";
      const m = /^(\d+) of 42/.exec(text);
      const lines = document.querySelectorAll('[data-testid="log"] .line').length;
      return status === "RUNNING" && m && Number(m[1]) > 0 && Number(m[1]) < 42 && lines > 0
        ? text
        : undefined;
    });
    expect(await progress.jsonValue()).toMatch(/^\d+ of 42/);
    await screenshot(page, "05-process-running");
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="status"]')?.getAttribute("data-status") === "COMPLETED" ||
        document.querySelector('[data-testid="status"]')?.getAttribute("data-status") === "FAILED",
    );
    await page.getByText("complete", { exact: true }).waitFor();
    expect(await page.getByTestId("log").textContent()).toMatch(/numbers\.txt|42/);
  });

  it("shows the report: outcomes chart, failed rows filterable, error codes, and the failures file", async () => {
    await page.getByRole("heading", { name: "Report" }).waitFor();
    const chart = page.getByRole("img", { name: /Items by outcome/ });
    await chart.waitFor();
    await expect
      .poll(() => chart.getAttribute("aria-label"), LIVE)
      .toMatch(/ok: \d+, skipped: \d+, failed: 2, unknown: 0/);
    const rows = page.locator("table.report-rows tbody tr");
    await expect.poll(() => rows.count(), LIVE).toBe(2);
    await page.getByLabel("Contains").fill("999999999");
    await expect.poll(() => rows.count(), LIVE).toBe(1);
    expect(await rows.first().textContent()).toContain("999999999");
    await page.getByLabel("Contains").fill("");
    // The status says how the items went, not just COMPLETED.
    expect(await page.getByTestId("status").textContent()).toBe("COMPLETED with errors: 2 of 42 failed");
    await expectAccessible(page, "06-process-report");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /Download the failures file/ }).click(),
    ]);
    const failures = await readFile((await download.path()) as string, "utf8");
    expect(failures).toContain("999999999");
    expect(failures).toContain("not-a-number");
    expect(failures).not.toContain("100000001");
  });

  it("re-runs the failures only: a new process reads the failures file", async () => {
    await page.getByRole("button", { name: "Re-run the failures only" }).click();
    await page.waitForURL((url) => url.pathname !== `/processes/${batchId}`);
    await page.getByRole("heading", { name: /Process \d+: worldcat-holdings/ }).waitFor();
    const rerunId = Number(new URL(page.url()).pathname.split("/").pop());
    expect(rerunId).toBeGreaterThan(batchId);
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="status"]')?.getAttribute("data-status") !== "SCHEDULED" &&
        document.querySelector('[data-testid="status"]')?.getAttribute("data-status") !== "RUNNING",
    );
    const chart = page.getByRole("img", { name: /Items by outcome/ });
    await chart.waitFor();
    await expect.poll(() => chart.getAttribute("aria-label"), LIVE).toMatch(/ok: 0, skipped: 0, failed: 2/);
    await expect(page.getByRole("link", { name: /^failures\./ }).count()).resolves.toBeGreaterThan(0);
  });

  it("cancels a long process while it runs", async () => {
    await page.goto(`${server.url}/scripts/worldcat-holdings/new`);
    await page.getByLabel(/^action/).selectOption("set");
    const many = Array.from({ length: 3000 }, (_, i) => String(100000001 + (i % 5000))).join("\n");
    await page
      .getByLabel(/^input/)
      .setInputFiles({ name: "many.txt", mimeType: "text/plain", buffer: Buffer.from(many) });
    await page.getByRole("button", { name: "Start process" }).click();
    await page.waitForURL(/\/processes\/\d+$/);
    await page.waitForFunction(() =>
      /^[1-9]\d* of 3,000/.test(document.querySelector(".progress-text")?.textContent ?? ""),
    );
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="status"]')?.getAttribute("data-status") === "CANCELLED",
    );
    await page.getByRole("button", { name: "Resume" }).waitFor();
    await expectAccessible(page, "07-process-cancelled");
  });

  it("lists processes with status counts, filters them, and deletes the selected ones", async () => {
    await page.getByRole("link", { name: "Processes" }).click();
    await page.getByRole("heading", { name: "Processes" }).waitFor();
    const cancelled = page.getByRole("button", { name: /^CANCELLED/ });
    await expect.poll(() => cancelled.textContent(), LIVE).toMatch(/CANCELLED 1$/);
    await expectAccessible(page, "08-processes");
    await cancelled.click();
    await page.waitForURL(/status=CANCELLED/);
    const rows = page.locator("table.processes tbody tr");
    await expect.poll(() => rows.count(), LIVE).toBe(1);
    await page.getByLabel("Script").selectOption("marc-convert");
    await page.getByText("No process matches.").waitFor();
    await page.getByLabel("Script").selectOption("");
    await expect.poll(() => rows.count(), LIVE).toBe(1);
    await rows.first().getByRole("checkbox").check();
    await page.getByRole("button", { name: "Delete selected (1)" }).click();
    await page.getByRole("button", { name: "Yes, delete" }).click();
    await page.getByText("Deleted 1 process.").waitFor();
    await page.getByText("No process matches.").waitFor();
    await expect.poll(() => cancelled.textContent(), LIVE).toMatch(/CANCELLED 0$/);
  });

  it("the processes list updates live, without a reload: a new process, then its status change", async () => {
    await page.goto(`${server.url}/processes`);
    await page.getByRole("heading", { name: "Processes" }).waitFor();
    await page.locator("table.processes tbody tr").first().waitFor();
    await page.evaluate(() => {
      window.nightshiftNoReload = 1;
    });
    const { processId } = await apiWrite(
      page,
      "POST",
      "/api/system/scripts/process-cleaner/processes",
      delayedCleaner(),
    );
    const row = page.getByRole("row", { name: new RegExp(`#${processId}\\b`) });
    await expect.poll(() => row.count(), LIVE).toBe(1);
    expect(await row.textContent()).toContain("SCHEDULED");
    await apiWrite(page, "POST", `/api/system/processes/${processId}/cancel`);
    await expect.poll(() => row.textContent(), LIVE).toContain("CANCELLED");
    // The same document all along: the page fetched the changes, the browser did not load it again.
    expect(await page.evaluate(() => window.nightshiftNoReload)).toBe(1);
    // The batch with failures says so in the list too.
    const batch = page.getByRole("row", { name: new RegExp(`#${batchId}\\b`) });
    expect(await batch.textContent()).toContain("COMPLETED with errors: 2 of 42 failed");
    // Filtered by how it completed: the batch and its re-run of the failures (which failed again), nothing else.
    await page.getByLabel("Completed", { exact: true }).selectOption("errors");
    await page.waitForURL(/outcome=errors/);
    const rows = page.locator("table.processes tbody tr");
    await expect.poll(() => rows.count(), LIVE).toBe(2);
    const texts = await rows.allTextContents();
    expect(texts.some((r) => r.includes(`#${batchId}`))).toBe(true);
    expect(texts.every((r) => r.includes("COMPLETED with errors"))).toBe(true);
    // The dashboard lists it among the week's problems, beside the failed ones.
    await page.getByRole("link", { name: "Dashboard" }).click();
    const partly = page.getByRole("table", { name: /completed with failed items/ });
    await expect
      .poll(() => partly.getByRole("row", { name: new RegExp(`#${batchId}\\b`) }).count(), LIVE)
      .toBe(1);
  });

  it("creates a schedule with the cron builder, previews its next runs, and lists them", async () => {
    await page.getByRole("link", { name: "Schedules" }).click();
    await page.getByRole("heading", { name: "Schedules" }).waitFor();
    // Only the built-in nightly retention schedule so far: shown, marked, disabled rather than deleted.
    const builtIn = page.getByRole("row", { name: /retention/ });
    await builtIn.waitFor();
    expect(await builtIn.textContent()).toContain("built in");
    expect(await builtIn.getByRole("button", { name: "Delete retention" }).count()).toBe(0);
    await page.getByRole("link", { name: "New schedule" }).click();
    await page.getByLabel("Name").fill("weekly-cleanup");
    await page.getByLabel("Script").selectOption("process-cleaner");
    await page.getByLabel(/^days/).fill("30");
    await page.getByLabel("Repeat").selectOption("weekly");
    await page.getByLabel("On", { exact: true }).selectOption("1");
    await page.getByLabel("At", { exact: true }).fill("02:00");
    await page.getByLabel("Time zone").fill("Europe/Berlin");
    const preview = page.getByTestId("cron-preview");
    await expect.poll(() => preview.textContent(), LIVE).toContain("every Monday at 02:00 Europe/Berlin");
    expect(await preview.locator("li").count()).toBe(5);
    const firstPreview = await preview.locator("li").first().textContent();
    await expectAccessible(page, "13-schedule-new");
    // A bad cron expression: refused by the server beside the cron field.
    await page.getByLabel("Repeat").selectOption("custom");
    await page.getByLabel(/^Cron/).fill("0 25 * * *");
    await page.getByRole("button", { name: "Create schedule" }).click();
    await page.locator("#schedule-cron-error").waitFor();
    expect(await page.getByLabel(/^Cron/).getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("Repeat").selectOption("weekly");
    await page.getByRole("button", { name: "Create schedule" }).click();
    await page.waitForURL(/\/schedules$/);
    const row = page.getByRole("row", { name: /weekly-cleanup/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("every Monday at 02:00 Europe/Berlin");
    const next = page.getByRole("list", { name: "Next runs of weekly-cleanup" }).locator("li");
    await expect.poll(() => next.count(), LIVE).toBe(3);
    // The browser's preview and the server's schedule agree on the next run.
    expect(await next.first().textContent()).toBe(firstPreview);
    // Shown in the schedule's own zone, named: 02:00 in Berlin, whatever the browser's clock says.
    expect(firstPreview).toMatch(/02:00:00.*Europe\/Berlin$/);
    await expectAccessible(page, "14-schedules");
    await page.getByRole("button", { name: "Disable weekly-cleanup" }).click();
    await expect.poll(() => next.count(), LIVE).toBe(0);
    await page.getByRole("button", { name: "Enable weekly-cleanup" }).click();
    await expect.poll(() => next.count(), LIVE).toBe(3);
    await page.getByRole("button", { name: "Run now weekly-cleanup" }).click();
    await page.waitForURL(/\/processes\/\d+$/);
    await page.getByRole("heading", { name: /Process \d+: process-cleaner/ }).waitFor();
    await page.getByRole("link", { name: "Dashboard" }).click();
    await page.getByText(/weekly-cleanup \(process-cleaner\) at/).waitFor();
  });

  it("lists the triggers with their URL and how to call them", async () => {
    await page.getByRole("link", { name: "Triggers" }).click();
    const trigger = page.getByRole("region", { name: "cleanup", exact: true });
    await trigger.waitFor();
    expect(await trigger.textContent()).toContain(`${server.url}/api/triggers/cleanup`);
    expect(await trigger.getByRole("region", { name: "How to call cleanup" }).textContent()).toContain(
      "X-Nightshift-Signature: t=$T,v1=$SIG",
    );
    await expectAccessible(page, "15-triggers");
  });

  it("shows the service accounts, checks one's access, and lists the doctor's findings", async () => {
    await page.getByRole("link", { name: "Accounts" }).click();
    await page.getByRole("heading", { name: "Accounts", level: 1 }).waitFor();
    const card = page.getByRole("region", { name: "sandbox", exact: true });
    await card.waitFor();
    const text = (await card.textContent()) ?? "";
    expect(text).toContain("SANDBOX");
    expect(text).toContain("128807 / OCPSB");
    expect(text).toContain("WorldCatMetadataAPI");
    expect(text).toMatch(/script\s*worldcat-holdings/);
    expect(text).not.toContain("ui-test-secret");
    await card.getByRole("button", { name: "Check access of sandbox" }).click();
    const result = card.getByRole("status", { name: "Access of sandbox" });
    await result.waitFor(LIVE);
    expect(await result.textContent()).toMatch(/\d+ of \d+ operations allowed/);
    expect(await result.textContent()).toContain("worldcat-holdings: everything it needs is allowed");
    const doctor = page.getByRole("region", { name: "The doctor's findings" });
    await expect
      .poll(
        async () => /No findings|\d+ errors?, \d+ warnings?/.test((await doctor.textContent()) ?? ""),
        LIVE,
      )
      .toBe(true);
    await expectAccessible(page, "16-accounts");
  });

  it("is usable at tablet width: every page, checked and saved", async () => {
    const tablet = await admin.newPage();
    await tablet.setViewportSize(TABLET);
    // Each page: its path, what shows it has loaded, and the screenshot's name.
    const pages: [string, (p: Page) => Promise<unknown>, string][] = [
      ["/", (p) => p.getByRole("heading", { name: "Dashboard" }).waitFor(), "t01-dashboard"],
      ["/scripts", (p) => p.getByRole("heading", { name: "worldcat-holdings" }).waitFor(), "t02-scripts"],
      [
        "/scripts/worldcat-holdings/new",
        (p) => p.getByRole("button", { name: "Start process" }).waitFor(),
        "t03-new-process",
      ],
      ["/processes", (p) => p.locator("table.processes tbody tr").first().waitFor(), "t04-processes"],
      [
        `/processes/${batchId}`,
        (p) => p.getByRole("img", { name: /Items by outcome/ }).waitFor(),
        "t05-process",
      ],
      ["/schedules", (p) => p.getByRole("row", { name: /weekly-cleanup/ }).waitFor(), "t06-schedules"],
      ["/schedules/new", (p) => p.getByTestId("cron-preview").waitFor(), "t07-schedule-new"],
      ["/triggers", (p) => p.getByRole("region", { name: "cleanup", exact: true }).waitFor(), "t08-triggers"],
      [
        "/accounts",
        (p) => p.getByRole("button", { name: "Check access of sandbox" }).waitFor(),
        "t09-accounts",
      ],
    ];
    for (const [path, loaded, name] of pages) {
      await tablet.goto(`${server.url}${path}`);
      await loaded(tablet);
      await expectAccessible(tablet, name);
      // Nothing wider than the screen but the tables, which scroll inside their own region.
      const overflow = await tablet.evaluate(() => document.documentElement.scrollWidth);
      expect(overflow, `page ${path} is wider than the screen`).toBeLessThanOrEqual(TABLET.width);
    }
    await tablet.close();
    const signedOut = await browser.newContext({ viewport: TABLET });
    const signIn = await signedOut.newPage();
    await signIn.goto(`${server.url}/`);
    await signIn.getByRole("button", { name: "Sign in" }).waitFor();
    await expectAccessible(signIn, "t00-sign-in");
    await signedOut.close();
  }, 240_000);

  it("an operator sees only their own processes", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const op = await context.newPage();
    await signIn(op, OPERATOR.name, OPERATOR.password);
    await op.getByRole("link", { name: "Processes" }).click();
    await op.getByText("No process matches.").waitFor();
    await expect(op.getByLabel("User").count()).resolves.toBe(0);
    await expectAccessible(op, "11-operator-processes");
    await op.goto(`${server.url}/processes/${batchId}`);
    await op.getByRole("alert").waitFor();
    expect(await op.getByRole("alert").textContent()).toContain("started by another user");
    await screenshot(op, "12-operator-forbidden");
    // Schedules: an operator may run one of a script their role runs, and change none.
    await op.getByRole("link", { name: "Schedules" }).click();
    await op.getByRole("button", { name: "Run now weekly-cleanup" }).waitFor();
    for (const name of [/^Disable/, /^Enable/, /^Delete/])
      expect(await op.getByRole("button", { name }).count(), String(name)).toBe(0);
    expect(await op.getByRole("link", { name: "New schedule" }).count()).toBe(0);
    expect(await op.getByRole("link", { name: "Accounts" }).count()).toBe(0);
    await op.getByRole("button", { name: "Sign out" }).click();
    await op.getByRole("button", { name: "Sign in" }).waitFor();
    await context.close();
  });
  it("a viewer sees no Run, New process, Cancel, delete or schedule-edit buttons", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const v = await context.newPage();
    await signIn(v, VIEWER.name, VIEWER.password);
    // An operator's own process waiting to start; then the user is made a viewer (as an admin would).
    const { processId } = await apiWrite(
      v,
      "POST",
      "/api/system/scripts/process-cleaner/processes",
      delayedCleaner(),
    );
    const db = new BetterSqlite3(sqliteFile(server.dataDir));
    try {
      db.prepare("update users set role = 'viewer' where name = ?").run(VIEWER.name);
    } finally {
      db.close();
    }
    await v.goto(`${server.url}/`);
    await v.getByText(`${VIEWER.name} (viewer)`).waitFor();
    expect(await v.getByRole("link", { name: "Accounts" }).count()).toBe(0);

    await v.getByRole("link", { name: "Scripts" }).click();
    await v.getByText("Your role (viewer) reads processes; it starts none.").waitFor();
    expect(await v.getByRole("link", { name: /New process/ }).count()).toBe(0);
    await expectAccessible(v, "17-viewer-scripts");

    await v.getByRole("link", { name: "Processes" }).click();
    await v.getByRole("row", { name: new RegExp(`#${processId}\\b`) }).waitFor();
    expect(await v.getByRole("checkbox").count()).toBe(0);
    expect(await v.getByRole("button", { name: /Delete selected/ }).count()).toBe(0);
    await expectAccessible(v, "18-viewer-processes");

    await v.getByRole("link", { name: `#${processId}` }).click();
    await v.getByRole("heading", { name: `Process ${processId}: process-cleaner` }).waitFor();
    expect(await v.getByTestId("status").getAttribute("data-status")).toBe("SCHEDULED");
    for (const name of ["Cancel", "Re-run", "Resume", "Re-run the failures only"])
      expect(await v.getByRole("button", { name, exact: true }).count(), name).toBe(0);
    await expectAccessible(v, "19-viewer-process");

    await v.getByRole("link", { name: "Schedules" }).click();
    await v.getByRole("row", { name: /weekly-cleanup/ }).waitFor();
    for (const name of [/^Run now/, /^Disable/, /^Enable/, /^Delete/])
      expect(await v.getByRole("button", { name }).count(), String(name)).toBe(0);
    expect(await v.getByRole("link", { name: "New schedule" }).count()).toBe(0);
    await expectAccessible(v, "20-viewer-schedules");
    // What the page hides, the API refuses.
    const csrf = (await context.cookies()).find((c) => c.name === "nightshift_csrf")?.value ?? "";
    const refused = await v.request.post(`${server.url}/api/system/processes/${processId}/cancel`, {
      headers: { "x-csrf-token": csrf },
    });
    expect(refused.status()).toBe(403);
    await context.close();
  });
});

describe("at 100,000 processes", () => {
  it("the processes list loads, counts and pages to the last page", async () => {
    // Stored straight into the server's SQLite file, in one transaction (the API would take minutes).
    const db = new BetterSqlite3(sqliteFile(server.dataDir));
    try {
      db.pragma("busy_timeout = 10000");
      const insert = db.prepare(
        `insert into processes (script, parameters, param_values, started_by, user_id, status, run_at,
           created_at, started_at, finished_at, progress_done, progress_total, exit_message)
         values (?, '[]', '{}', 'rest', null, ?, ?, ?, ?, ?, 10, 10, ?)`,
      );
      const statuses = ["COMPLETED", "COMPLETED", "FAILED", "CANCELLED", "COMPLETED"];
      const t0 = Date.parse("2024-01-01T00:00:00Z");
      db.transaction(() => {
        for (let i = 0; i < 100_000; i++) {
          const at = (ms: number) => new Date(t0 + i * 60_000 + ms).toISOString();
          const status = statuses[i % statuses.length];
          insert.run(
            i % 2 ? "marc-convert" : "worldcat-holdings",
            status,
            at(0),
            at(0),
            at(100),
            at(5000),
            status === "FAILED" ? "seeded failure" : null,
          );
        }
      })();
    } finally {
      db.close();
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${server.url}/processes`);
    const total = page.getByText(/^100,0\d\d processes$/);
    await total.waitFor();
    const pages = Math.ceil(Number(((await total.textContent()) ?? "").replace(/\D/g, "")) / 50);
    const failed = page.getByRole("button", { name: /^FAILED/ });
    await expect.poll(() => failed.textContent(), LIVE).toMatch(/FAILED 20,0\d\d$/);
    await screenshot(page, "21-processes-100k");
    await page.getByRole("button", { name: "Last" }).click();
    await page
      .getByText(`Page ${pages.toLocaleString("en-US")} of ${pages.toLocaleString("en-US")}`)
      .waitFor();
    const rows = page.locator("table.processes tbody tr");
    await expect.poll(() => rows.count(), LIVE).toBeGreaterThan(0);
    // The oldest process, the first batch of these tests, is last on the last page.
    const lastCell = page.getByRole("cell", { name: /^#\d+$/ }).last();
    await expect.poll(() => lastCell.textContent(), LIVE).toBe(`#${batchId}`);
    await page.getByRole("button", { name: "Previous" }).click();
    await page.getByText(`Page ${(pages - 1).toLocaleString("en-US")} of`).waitFor();
    await expect.poll(() => rows.count(), LIVE).toBe(50);
    await failed.click();
    await page.getByText(/^20,0\d\d processes$/).waitFor();
    await expectAccessible(page, "22-processes-100k-failed");
  }, 180_000);
});
