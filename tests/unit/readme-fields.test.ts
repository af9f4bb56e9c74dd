import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/process.js";
import { seedPrivateRows } from "../helpers/private-rows.js";
import { type TestWeb, testWeb } from "../helpers/web-app.js";

/**
 * The README documents the open data field by field: every field the API and the exports actually
 * send is named (in backticks) in its section, so a field added to the output without a word for
 * researchers fails here.
 */
let t: TestWeb;
beforeAll(async () => {
  t = await testWeb();
  await seedPrivateRows(t.db);
  await t.deps.services.cases.refresh();
});
afterAll(() => t.close());

const readme = readFileSync(join(ROOT, "README.md"), "utf8");
/** The README's text from the heading `start` to the next heading of the same or a higher level. */
function section(start: string): string {
  const from = readme.indexOf(`\n${start}\n`);
  expect(from, start).toBeGreaterThan(0);
  const level = /^#+/.exec(start)![0].length;
  const rest = readme.slice(from + start.length + 2);
  const next = rest.search(new RegExp(`^#{1,${level}} `, "m"));
  return next < 0 ? rest : rest.slice(0, next);
}
const undocumented = (fields: Iterable<string>, text: string) => [...new Set(fields)].filter((f) => !text.includes(`\`${f}\``) && !text.includes(`\`${f}[]\``) && !text.includes(`.${f}\``));
const keysOf = (objects: unknown[]) => objects.flatMap((o) => (o && typeof o === "object" && !Array.isArray(o) ? Object.keys(o) : []));

describe("the README names every field of the open data", () => {
  it("the API's list, its case and its timeline events", async () => {
    const api = section("### API (`/api/v1`, read-only)");
    const list = (await (await t.app.request("/api/v1/cases?q=Zhakip")).json()) as Record<string, unknown> & { data: unknown[]; suggestions: unknown[] };
    const detail = ((await (await t.app.request("/api/v1/cases/maks-bokayev")).json()) as { data: Record<string, unknown> & { events: unknown[]; source: unknown; names: unknown } }).data;
    const fields = [...Object.keys(list), ...keysOf(list.suggestions), ...Object.keys(detail), ...keysOf(detail.events), ...keysOf([detail.source, detail.names])];
    expect(detail.events.length).toBeGreaterThan(0);
    expect(undocumented(fields, api)).toEqual([]);
  });

  it("every CSV column and every field of export.json", async () => {
    const downloads = section("### Open data downloads");
    const csv = parse(await (await t.app.request("/api/v1/export.csv")).text(), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(undocumented(Object.keys(csv[0]!), downloads)).toEqual([]);
    const doc = (await (await t.app.request("/api/v1/export.json")).json()) as Record<string, unknown> & { sources: unknown[]; cases: unknown[]; events: unknown[] };
    const fields = [...Object.keys(doc), ...keysOf(doc.sources), ...keysOf(doc.cases), ...keysOf(doc.events)];
    expect(doc.events.length).toBeGreaterThan(0);
    expect(undocumented(fields, downloads)).toEqual([]);
  });
});
