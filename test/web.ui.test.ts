/**
 * The web UI in a real browser (Debian's chromium through playwright-core) against a real `nightshift serve`
 * with a sandbox: sign in, run a holdings file and watch it live, the report, the failures file and its re-run,
 * cancel, the processes list, and what an operator may see. axe-core checks every page; each page is saved as
 * a screenshot under test-output/web/.
 */
import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshot, seriousViolations } from "./fixtures/web/browser.js";
import { startUiServer, type UiServer } from "./fixtures/web/server.js";

// Page-side functions (run in the browser by playwright) use the DOM; this program has no DOM types.
declare const document: {
  querySelector(selector: string): { textContent: string | null } | null;
  querySelectorAll(selector: string): { length: number };
};
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

beforeAll(async () => {
  server = await startUiServer({ latencyMs: 25 });
  await server.addUser(OPERATOR.name, "operator", OPERATOR.password);
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
    await expect(page.getByRole("heading", { name: "Nightshift" }).isVisible()).resolves.toBe(true);
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
    await expect(page.getByText("SANDBOX", { exact: true }).isVisible()).resolves.toBe(true);
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
      const status = document.querySelector('[data-testid="status"]')?.textContent;
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
        document.querySelector('[data-testid="status"]')?.textContent === "COMPLETED" ||
        document.querySelector('[data-testid="status"]')?.textContent === "FAILED",
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
        document.querySelector('[data-testid="status"]')?.textContent !== "SCHEDULED" &&
        document.querySelector('[data-testid="status"]')?.textContent !== "RUNNING",
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
      () => document.querySelector('[data-testid="status"]')?.textContent === "CANCELLED",
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

  it("is usable at tablet width", async () => {
    const tablet = await admin.newPage();
    await tablet.setViewportSize({ width: 768, height: 1024 });
    await tablet.goto(`${server.url}/processes/${batchId}`);
    await tablet.getByRole("img", { name: /Items by outcome/ }).waitFor();
    await expectAccessible(tablet, "09-process-tablet");
    await tablet.goto(`${server.url}/processes`);
    await tablet.locator("table.processes tbody tr").first().waitFor();
    await expectAccessible(tablet, "10-processes-tablet");
    await tablet.close();
  });

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
    await op.getByRole("button", { name: "Sign out" }).click();
    await op.getByRole("button", { name: "Sign in" }).waitFor();
    await context.close();
  });
});
