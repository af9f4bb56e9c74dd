import type { DB } from "../db.js";
import { CASE_COLUMNS, cmp, EVENT_COLUMNS, EXPORT_FORMAT, EXPORT_VERSION, type PublicData, SOURCE_COLUMNS } from "./format.js";

/** Export of the public data: what `npm run export` writes and the web's open data serves. */

export async function exportPublicData(db: DB, now: string = new Date().toISOString()): Promise<PublicData> {
  const [sources, cases, aliases, events] = await Promise.all([
    db.selectFrom("sources").select(SOURCE_COLUMNS).execute(),
    // A new case waiting for a second moderator is not public yet.
    db.selectFrom("cases").select(CASE_COLUMNS).where("visible", "=", 1).execute(),
    db.selectFrom("case_aliases").select(["case_slug", "alias"]).execute(),
    db.selectFrom("case_events").select(["id", ...EVENT_COLUMNS]).execute(),
  ]);
  const aliasesBySlug = new Map<string, string[]>();
  for (const a of aliases) {
    const list = aliasesBySlug.get(a.case_slug);
    if (list) list.push(a.alias);
    else aliasesBySlug.set(a.case_slug, [a.alias]);
  }
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exported_at: now,
    sources: sources.sort((a, b) => cmp(a.id, b.id)).map((s) => ({ ...s })),
    cases: cases
      .sort((a, b) => cmp(a.slug, b.slug))
      .map((c) => ({
        ...c,
        name_confirmed: Number(c.name_confirmed) === 1 ? 1 : 0,
        aliases: (aliasesBySlug.get(c.slug) ?? []).sort(cmp),
      })),
    events: events
      .map((e) => ({ ...e, id: Number(e.id) }))
      .sort((a, b) => cmp(a.case_slug, b.case_slug) || a.id - b.id),
  };
}

// ---------------------------------------------------------------------------------------------
// Validation

