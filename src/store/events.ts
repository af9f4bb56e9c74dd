import { type EventContent, localized, type TimelineEvent } from "../domain/case.js";
import { isLang } from "../domain/codes.js";
import type { DB } from "./db.js";
import type { CaseEventRow } from "./schema.js";

/** The columns of an event beyond its date and language: its texts, source, and what the update is. */
export const EVENT_DETAIL_COLUMNS = ["text_en", "text_ru", "text_kk", "source_url", "update_type", "status_from", "status_to", "hearing_date"] as const;
/** The columns that say what an event says (EventContent). */
export const EVENT_CONTENT_COLUMNS = ["event_date", "original_lang", ...EVENT_DETAIL_COLUMNS] as const;
export type EventContentRow = Pick<CaseEventRow, (typeof EVENT_CONTENT_COLUMNS)[number]>;

/** An event's columns as the card, the feeds and the notices read them. */
export function eventContent(row: EventContentRow): EventContent {
  return {
    date: row.event_date,
    originalLang: isLang(row.original_lang) ? row.original_lang : "en",
    text: localized(row.text_en, row.text_ru, row.text_kk),
    sourceUrl: row.source_url,
    updateType: row.update_type,
    statusFrom: row.status_from,
    statusTo: row.status_to,
    hearingDate: row.hearing_date,
  };
}

export function toEvent(row: EventContentRow & Pick<CaseEventRow, "id" | "origin">): TimelineEvent {
  return { id: row.id, origin: row.origin === "update" ? "update" : "report", ...eventContent(row) };
}

export interface NewUpdateEvent {
  caseSlug: string;
  date: string;
  lang: "en" | "ru" | "kk";
  text: string;
  sourceUrl: string | null;
  type: string;
  statusFrom: string | null;
  statusTo: string | null;
  hearingDate: string | null;
}

/** An approved update becomes a timeline event, kept in the language it was written in. */
export async function insertUpdateEvent(db: DB, e: NewUpdateEvent, now: string): Promise<number> {
  const row = await db
    .insertInto("case_events")
    .values({
      case_slug: e.caseSlug,
      event_date: e.date,
      origin: "update",
      seed_key: null,
      original_lang: e.lang,
      text_en: e.lang === "en" ? e.text : null,
      text_ru: e.lang === "ru" ? e.text : null,
      text_kk: e.lang === "kk" ? e.text : null,
      source_url: e.sourceUrl,
      update_type: e.type,
      status_from: e.statusFrom,
      status_to: e.statusTo,
      hearing_date: e.hearingDate,
      created_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function getEvent(db: DB, id: number) {
  return db.selectFrom("case_events").selectAll().where("id", "=", id).executeTakeFirst();
}

/** Adds or replaces the translation of an update into one language; never overwrites the original. */
export async function setEventTranslation(db: DB, id: number, lang: "en" | "ru" | "kk", text: string): Promise<boolean> {
  const column = lang === "en" ? "text_en" : lang === "ru" ? "text_ru" : "text_kk";
  const res = await db
    .updateTable("case_events")
    .set({ [column]: text })
    .where("id", "=", id)
    .where("origin", "=", "update")
    .where("original_lang", "!=", lang)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
