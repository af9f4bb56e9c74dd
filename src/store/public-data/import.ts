import type { DB } from "../db.js";
import { bumpCasesRevision } from "../meta.js";
import { CASE_COLUMNS, cmp, EVENT_COLUMNS, type ExportedEvent, type ExportedSource, type ImportSummary, type PublicData, parseExport, SOURCE_COLUMNS, type TableCounts } from "./format.js";

/** Import of the public data: what `npm run import` does. */

function same<T extends object>(a: T, b: T, columns: readonly (keyof T)[]): boolean {
  return columns.every((c) => a[c] === b[c]);
}

/** Identity of an event that has no seed_key: ids differ between databases, these columns do not. */
function eventKey(e: Pick<ExportedEvent, "case_slug" | "event_date" | "origin" | "created_at">): string {
  return JSON.stringify([e.case_slug, e.event_date, e.origin, e.created_at]);
}

function pickEvent(e: ExportedEvent) {
  return {
    case_slug: e.case_slug,
    event_date: e.event_date,
    origin: e.origin,
    seed_key: e.seed_key,
    original_lang: e.original_lang,
    text_en: e.text_en,
    text_ru: e.text_ru,
    text_kk: e.text_kk,
    source_url: e.source_url,
    update_type: e.update_type,
    status_from: e.status_from,
    status_to: e.status_to,
    hearing_date: e.hearing_date,
    created_at: e.created_at,
  };
}

/**
 * Loads an export into the database in one transaction: sources and cases upserted by primary key,
 * each imported case's aliases replaced, report events upserted by seed_key, other events matched by
 * (case_slug, event_date, origin, created_at) and updated, or inserted with a new id. Rows that are
 * already equal are not written, so importing the same file twice changes nothing. The data is
 * validated again first; an invalid document throws PublicDataError and writes nothing.
 */
export async function importPublicData(db: DB, input: PublicData | unknown, now: string = new Date().toISOString()): Promise<ImportSummary> {
  const data = parseExport(input);
  return db.transaction().execute(async (trx) => {
    const summary: ImportSummary = {
      sources: { inserted: 0, updated: 0, unchanged: 0 },
      cases: { inserted: 0, updated: 0, unchanged: 0 },
      aliases: { total: 0, replaced: 0 },
      events: { inserted: 0, updated: 0, unchanged: 0 },
      changed: false,
    };

    const existingSources = new Map((await trx.selectFrom("sources").select(SOURCE_COLUMNS).execute()).map((s) => [s.id, s]));
    for (const s of data.sources) {
      const old = existingSources.get(s.id);
      if (old && same<ExportedSource>(old, s, SOURCE_COLUMNS)) {
        summary.sources.unchanged++;
        continue;
      }
      const { id, ...rest } = s;
      await trx
        .insertInto("sources")
        .values(s)
        .onConflict((oc) => oc.column("id").doUpdateSet(rest))
        .execute();
      summary.sources[old ? "updated" : "inserted"]++;
    }

    const existingCases = new Map((await trx.selectFrom("cases").select(CASE_COLUMNS).execute()).map((c) => [c.slug, c]));
    const existingAliases = new Map<string, string[]>();
    for (const a of await trx.selectFrom("case_aliases").select(["case_slug", "alias"]).execute()) {
      const list = existingAliases.get(a.case_slug);
      if (list) list.push(a.alias);
      else existingAliases.set(a.case_slug, [a.alias]);
    }
    for (const c of data.cases) {
      const { aliases, ...row } = c;
      const old = existingCases.get(c.slug);
      const oldRow = old ? { ...old, name_confirmed: Number(old.name_confirmed) } : undefined;
      if (oldRow && same(oldRow, row, CASE_COLUMNS)) {
        summary.cases.unchanged++;
      } else {
        const { slug, ...rest } = row;
        await trx
          .insertInto("cases")
          .values(row)
          .onConflict((oc) => oc.column("slug").doUpdateSet(rest))
          .execute();
        summary.cases[old ? "updated" : "inserted"]++;
      }

      summary.aliases.total += aliases.length;
      const before = [...(existingAliases.get(c.slug) ?? [])].sort(cmp);
      const after = [...aliases].sort(cmp);
      if (before.length !== after.length || before.some((a, i) => a !== after[i])) {
        await trx.deleteFrom("case_aliases").where("case_slug", "=", c.slug).execute();
        if (after.length > 0) {
          await trx.insertInto("case_aliases").values(after.map((alias) => ({ case_slug: c.slug, alias }))).execute();
        }
        summary.aliases.replaced++;
      }
    }

    const existingEvents = await trx.selectFrom("case_events").select(["id", ...EVENT_COLUMNS]).execute();
    existingEvents.sort((a, b) => Number(a.id) - Number(b.id));
    const bySeedKey = new Map<string, (typeof existingEvents)[number]>();
    const byKey = new Map<string, Array<(typeof existingEvents)[number]>>();
    for (const e of existingEvents) {
      if (e.seed_key !== null) {
        bySeedKey.set(e.seed_key, e);
        continue;
      }
      const k = eventKey(e);
      const list = byKey.get(k);
      if (list) list.push(e);
      else byKey.set(k, [e]);
    }
    // Events without a seed_key that share a key are paired in order (the n-th in the file with
    // the n-th oldest in the database), so that even such twins import idempotently.
    const used = new Map<string, number>();
    for (const e of data.events) {
      const row = pickEvent(e);
      let old: (typeof existingEvents)[number] | undefined;
      if (e.seed_key !== null) {
        old = bySeedKey.get(e.seed_key);
      } else {
        const k = eventKey(e);
        const n = used.get(k) ?? 0;
        used.set(k, n + 1);
        old = byKey.get(k)?.[n];
      }
      if (old && same(old, row, EVENT_COLUMNS)) {
        summary.events.unchanged++;
      } else if (old) {
        await trx.updateTable("case_events").set(row).where("id", "=", old.id).execute();
        summary.events.updated++;
      } else {
        await trx.insertInto("case_events").values(row).execute();
        summary.events.inserted++;
      }
    }

    summary.changed =
      summary.sources.inserted + summary.sources.updated + summary.cases.inserted + summary.cases.updated +
        summary.aliases.replaced + summary.events.inserted + summary.events.updated > 0;
    if (summary.changed) await bumpCasesRevision(trx, `${now}#import`);
    return summary;
  });
}

export function formatImportSummary(s: ImportSummary): string {
  const t = (name: string, c: TableCounts) => `${name} ${c.inserted + c.updated + c.unchanged} (${c.inserted} new, ${c.updated} updated)`;
  return [
    t("sources", s.sources),
    t("cases", s.cases),
    `aliases ${s.aliases.total} (replaced for ${s.aliases.replaced} cases)`,
    t("events", s.events),
  ].join(", ");
}
