import type { Lang } from "../../domain/codes.js";
import { isCategory, isRole, isStatus } from "../../domain/codes.js";
import { CASE_FIELD, CASE_SHOWN } from "../../domain/fields.js";
import { checkName, checkSummary, type InvalidReason, parseSourceUrl } from "../../domain/rules.js";
import { generatedAliases, kazakhLatin, slugify } from "../../domain/spelling.js";
import { addAudit } from "../../store/audit.js";
import * as store from "../../store/revisions.js";
import { tellStaffOfRevision } from "../messages.js";
import type { Desk } from "./desk.js";

export interface NewCaseInput {
  names: { en: string; ru: string; kk?: string | null; kkLatn?: string | null };
  category: string;
  role: string;
  status: string;
  /** At least one language. */
  summary: Partial<Record<Lang, string>>;
  /** The http(s) link the case is added on. */
  source: string;
}

export type CreateField = "name_en" | "name_ru" | "name_kk" | "name_kk_latn" | "category" | "role" | "status" | "summary" | "source";

export type CreateResult =
  | { type: "created"; slug: string; revisionId: number }
  | { type: "forbidden" }
  | { type: "invalid"; field: CreateField; reason: InvalidReason };


/**
 * A new case from moderators: stored hidden, with a pending "case" revision. It shows in search and
 * lists only once a second moderator confirms that revision.
 */
export async function createCase(desk: Desk, actor: number, input: NewCaseInput): Promise<CreateResult> {
  if (!(await desk.roles.may(actor))) return { type: "forbidden" };
  const en = checkName("name_en", input.names.en);
  if (!en.ok) return { type: "invalid", field: "name_en", reason: en.reason };
  const ru = checkName("name_ru", input.names.ru);
  if (!ru.ok) return { type: "invalid", field: "name_ru", reason: ru.reason };
  let kk: string | null = null;
  if (input.names.kk != null && input.names.kk.trim() !== "") {
    const c = checkName("name_kk", input.names.kk);
    if (!c.ok) return { type: "invalid", field: "name_kk", reason: c.reason };
    kk = c.value;
  }
  let kkLatn: string | null = kk === null ? null : kazakhLatin(kk);
  if (input.names.kkLatn != null && input.names.kkLatn.trim() !== "") {
    const c = checkName("name_kk_latn", input.names.kkLatn);
    if (!c.ok) return { type: "invalid", field: "name_kk_latn", reason: c.reason };
    kkLatn = c.value;
  }
  if (!isCategory(input.category)) return { type: "invalid", field: "category", reason: "code" };
  if (!isRole(input.role)) return { type: "invalid", field: "role", reason: "code" };
  if (!isStatus(input.status)) return { type: "invalid", field: "status", reason: "code" };
  const summary: Partial<Record<Lang, string>> = {};
  for (const lang of ["en", "ru", "kk"] as const) {
    const text = input.summary[lang];
    if (text === undefined || text.trim() === "") continue;
    const c = checkSummary(text);
    if (!c.ok) return { type: "invalid", field: "summary", reason: c.reason };
    summary[lang] = c.value;
  }
  if (Object.keys(summary).length === 0) return { type: "invalid", field: "summary", reason: "empty" };
  const source = parseSourceUrl(input.source);
  if (source === undefined) return { type: "invalid", field: "source", reason: "url" };

  const base = slugify(en.value) || slugify(ru.value) || "case";
  const names = { en: en.value, ru: ru.value, kk, kkLatn };
  const iso = desk.now().toISOString();
  return desk.db.transaction().execute(async (trx): Promise<CreateResult> => {
    const taken = await store.slugsLike(trx, base);
    for (let n = 1; n < 10_000; n++) {
      const slug = n === 1 ? base : `${base}-${n}`;
      if (taken.has(slug)) continue;
      const inserted = await store.insertModeratorCase(
        trx,
        {
          slug,
          category: input.category,
          role: input.role,
          status: input.status,
          nameEn: names.en,
          nameRu: names.ru,
          nameKk: names.kk,
          nameKkLatn: names.kkLatn,
          summaryEn: summary.en ?? null,
          summaryRu: summary.ru ?? null,
          summaryKk: summary.kk ?? null,
          aliases: generatedAliases(names),
          addedSource: source,
          visible: false,
        },
        iso,
      );
      if (!inserted) continue;
      const revisionId = await store.insertRevision(
        trx,
        { caseSlug: slug, field: CASE_FIELD, oldValue: null, newValue: CASE_SHOWN, source, actorId: actor, state: "pending" },
        iso,
      );
      await addAudit(trx, actor, "case_create", `case:${slug}`, `revision:${revisionId}`, iso);
      const revision = await store.getRevision(trx, revisionId);
      if (revision) await tellStaffOfRevision(trx, revision, iso);
      return { type: "created", slug, revisionId };
    }
    throw new Error(`no free slug for ${base}`);
  });
}
