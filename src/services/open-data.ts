import { createHash } from "node:crypto";
import type { DB } from "../store/db.js";
import { CASES_REVISION, getMeta } from "../store/meta.js";
import { type ExportedCase, exportPublicData, type PublicData } from "../store/public-data.js";

/** One export, ready to serve: the body and its entity tag. */
export interface ExportFile {
  body: string;
  /** The body as UTF-8, encoded once: a server sends these bytes without encoding the text per request. */
  bytes: Uint8Array;
  /** A quoted entity tag for ETag / If-None-Match. */
  etag: string;
}

/** The columns a case contributes to the CSV, in this order: every scalar field of `npm run export`. */
export const CASE_FIELDS = [
  "slug",
  "name_en",
  "name_ru",
  "name_kk",
  "name_kk_latn",
  "name_confirmed",
  "category",
  "role",
  "status",
  "status_changed_at",
  "status_source",
  "summary_en",
  "summary_ru",
  "summary_kk",
  "origin",
  "added_source",
  "source_id",
  "created_at",
  "updated_at",
] as const satisfies ReadonlyArray<Exclude<keyof ExportedCase, "aliases">>;

/** Columns joined from the rest of the export: aliases, the report the case comes from, the timeline. */
export const EXTRA_FIELDS = [
  "aliases",
  "source_title_en",
  "source_title_ru",
  "source_title_kk",
  "source_as_of",
  "source_url",
  "timeline_events",
  "approved_updates",
  "last_event_date",
] as const;

export const CSV_COLUMNS = [...CASE_FIELDS, ...EXTRA_FIELDS] as const;

/** Aliases share one cell, separated by this (no alias contains it). */
export const ALIAS_SEPARATOR = " | ";

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string | number | null): string {
  if (value === null) return "";
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per person: the case's fields, its aliases, its source and a summary of its timeline. */
export function toCsv(data: PublicData): string {
  const sources = new Map(data.sources.map((s) => [s.id, s]));
  const timeline = new Map<string, { events: number; updates: number; last: string | null }>();
  for (const e of data.events) {
    const t = timeline.get(e.case_slug) ?? { events: 0, updates: 0, last: null };
    t.events++;
    if (e.origin === "update") t.updates++;
    if (t.last === null || e.event_date > t.last) t.last = e.event_date;
    timeline.set(e.case_slug, t);
  }
  const lines = [CSV_COLUMNS.join(",")];
  for (const c of data.cases) {
    const s = c.source_id === null ? undefined : sources.get(c.source_id);
    const t = timeline.get(c.slug);
    const row: Array<string | number | null> = [
      ...CASE_FIELDS.map((f) => c[f]),
      c.aliases.join(ALIAS_SEPARATOR),
      s?.title_en ?? null,
      s?.title_ru ?? null,
      s?.title_kk ?? null,
      s?.as_of ?? null,
      s?.url ?? null,
      t?.events ?? 0,
      t?.updates ?? 0,
      t?.last ?? null,
    ];
    lines.push(row.map(csvField).join(","));
  }
  // A byte order mark, so that spreadsheet programs read the Cyrillic as UTF-8; CRLF as RFC 4180 says.
  return `\ufeff${lines.join("\r\n")}\r\n`;
}

function tag(text: string, weak: boolean): string {
  const hash = createHash("sha256").update(text).digest("base64url").slice(0, 27);
  return weak ? `W/"${hash}"` : `"${hash}"`;
}

interface Built {
  revision: string;
  json: ExportFile;
  csv: ExportFile;
}

/**
 * The public data for download: the very document `npm run export` writes (JSON), and a CSV of one
 * row per person. Both are built once per change of the cases revision stamp, which every write to
 * public data bumps (approvals, translations, case edits, seed, import), so every process serves
 * a moderator's change on the next request, and the many requests in between cost one small query.
 */
export class OpenDataService {
  private built: Promise<Built> | undefined;

  constructor(
    private readonly db: DB,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async json(): Promise<ExportFile> {
    return (await this.current()).json;
  }

  async csv(): Promise<ExportFile> {
    return (await this.current()).csv;
  }

  private async current(): Promise<Built> {
    const revision = (await getMeta(this.db, CASES_REVISION)) ?? "";
    const cached = this.built;
    if (cached) {
      const b = await cached.catch(() => undefined);
      if (b && b.revision === revision && revision !== "") return b;
    }
    const next = this.build(revision);
    this.built = next;
    return next;
  }

  private async build(revision: string): Promise<Built> {
    const data = await exportPublicData(this.db, this.now().toISOString());
    const body = `${JSON.stringify(data, null, 2)}\n`;
    const { exported_at: _at, ...content } = data;
    const csv = toCsv(data);
    return {
      revision,
      // The JSON carries its export time: the tag covers the content only, so it is weak.
      json: { body, bytes: Buffer.from(body, "utf8"), etag: tag(JSON.stringify(content), true) },
      csv: { body: csv, bytes: Buffer.from(csv, "utf8"), etag: tag(csv, false) },
    };
  }
}
