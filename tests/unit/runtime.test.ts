import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/process.js";

const RUNTIME = pathToFileURL(`${ROOT}src/runtime.ts`).href;
const LOGGER = pathToFileURL(`${ROOT}src/logger.ts`).href;

/** Runs a small ES module in a fresh Node process (TypeScript through tsx), as main.ts would start. */
function runScript(body: string) {
  const code = `
    import { installProcessHandlers } from ${JSON.stringify(RUNTIME)};
    import { createLogger } from ${JSON.stringify(LOGGER)};
    installProcessHandlers(createLogger("info", { service: "test" }));
    ${body}
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { cwd: ROOT, encoding: "utf8", timeout: 30_000 });
  const logs = r.stderr
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: r.status, stdout: r.stdout, logs };
}

describe("process-level handlers", () => {
  it("logs a rejected promise nobody awaited and keeps the process serving", () => {
    const r = runScript(`
      void Promise.reject(new Error("lost update"));
      setTimeout(() => { console.log("still serving"); }, 200);
    `);
    expect(r.stdout).toContain("still serving");
    expect(r.status).toBe(0);
    const line = r.logs.find((l) => l["msg"] === "unhandled rejection");
    expect(line).toMatchObject({ level: "error", err: { message: "lost update" } });
  });

  it("carries on after a lost database connection is thrown from an event, and logs it", () => {
    const r = runScript(`
      setTimeout(() => { throw Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }); }, 10);
      setTimeout(() => { console.log("still serving"); }, 300);
    `);
    expect(r.stdout).toContain("still serving");
    expect(r.status).toBe(0);
    expect(r.logs.find((l) => String(l["msg"]).startsWith("uncaught exception"))).toMatchObject({ level: "error", err: { message: /administrator command/ } });
  });

  it("exits 1 after any other uncaught exception, with the error in the log instead of silence", () => {
    const r = runScript(`
      setTimeout(() => { throw new TypeError("broken state"); }, 10);
      setTimeout(() => { console.log("still serving"); }, 300);
    `);
    expect(r.status).toBe(1);
    expect(r.stdout).not.toContain("still serving");
    expect(r.logs.find((l) => l["msg"] === "uncaught exception; exiting")).toMatchObject({ err: { message: "broken state" } });
  });
});
