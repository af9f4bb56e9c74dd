import type { CaseBrief, CaseDetail, CaseListItem, CaseSource } from "../domain/case.js";
import { CATEGORIES, type Category } from "../domain/codes.js";
import { clampPage, type Page, pageCount } from "../domain/paging.js";
import { SearchIndex } from "../search/index.js";
import * as store from "../store/cases.js";
import { TtlCache } from "./ttl-cache.js";
import type { DB } from "../store/db.js";
import { CASES_REVISION, getMeta } from "../store/meta.js";

export type FindResult =
  | { type: "empty" }
  | { type: "one"; case: CaseBrief }
  | { type: "many"; cases: CaseBrief[] }
  | { type: "none"; suggestions: CaseBrief[] };

/** One page of a category, each case with when its status was last confirmed. */
export interface CategoryPage extends Page<CaseListItem> {
  category: Category;
}

/** Longest query we look at; longer input is cut before it reaches the index. */
export const MAX_QUERY_LENGTH = 200;

/**
 * Case lookup and browsing. The search index and the brief of every case live in memory, built
 * from the store at start and rebuilt by refresh() whenever cases change.
 */
export class CaseService {
  private index = SearchIndex.build([]);
  private briefs = new Map<string, CaseBrief>();
  /** Cards are read far more often than they change; changes here call invalidate(). */
  private readonly details = new TtlCache<string, CaseDetail>(60_000, 5_000);
  private readonly revisions = new Map<string, number>();
  private generation = 0;
  /** Counts invalidate() calls: with the generation, a stamp of everything the public pages show. */
  private changes = 0;

  private seenRevision: string | undefined;
  private watcher: NodeJS.Timeout | undefined;

  constructor(private readonly db: DB) {}

  /**
   * Another process (a second bot instance, an admin tool) may change cases: poll the revision
   * stamp and rebuild when it moves. A few seconds of delay is acceptable.
   */
  watch(intervalMs = 3000, onError: (err: unknown) => void = () => undefined): void {
    if (this.watcher) return;
    this.watcher = setInterval(() => {
      this.refreshIfChanged().catch(onError);
    }, intervalMs);
    this.watcher.unref();
  }

  unwatch(): void {
    clearInterval(this.watcher);
    this.watcher = undefined;
  }

  async refreshIfChanged(): Promise<boolean> {
    const revision = await getMeta(this.db, CASES_REVISION);
    if (revision === this.seenRevision) return false;
    await this.refresh();
    return true;
  }

  async refresh(): Promise<void> {
    this.seenRevision = await getMeta(this.db, CASES_REVISION);
    const rows = await store.listSearchable(this.db);
    const briefs = new Map<string, CaseBrief>();
    const entries = rows.map(({ aliases, ...brief }) => {
      briefs.set(brief.slug, brief);
      const { en, ru, kk, kkLatn } = brief.names;
      const names = [en, ru, kk, kkLatn, ...aliases].filter((n): n is string => n !== null && n !== "");
      return { id: brief.slug, names };
    });
    this.index = SearchIndex.build(entries);
    this.briefs = briefs;
    this.details.clear();
    this.generation++;
  }

  /** Forgets the cached card of a case after its timeline or fields changed. */
  invalidate(slug: string): void {
    this.details.delete(slug);
    this.revisions.set(slug, (this.revisions.get(slug) ?? 0) + 1);
    this.changes++;
  }

  /** Changes whenever the case's card would change: a key for caches of rendered cards. */
  revision(slug: string): string {
    return `${this.generation}.${this.revisions.get(slug) ?? 0}`;
  }

  /**
   * Changes whenever any public case changes in any way (a card, the set of cases, an update): a key
   * for caches of pages that show many cases (lists, counts, the latest updates).
   */
  siteRevision(): string {
    return `${this.generation}.${this.changes}`;
  }

  get size(): number {
    return this.briefs.size;
  }

  brief(slug: string): CaseBrief | undefined {
    return this.briefs.get(slug);
  }

  find(query: string, limit = 8): FindResult {
    const r = this.index.resolve(query.slice(0, MAX_QUERY_LENGTH), limit);
    const pick = (ids: Array<{ id: string }>) =>
      ids.map((h) => this.briefs.get(h.id)).filter((b): b is CaseBrief => b !== undefined);
    switch (r.type) {
      case "empty":
        return r;
      case "one": {
        const found = this.briefs.get(r.hit.id);
        return found ? { type: "one", case: found } : { type: "none", suggestions: [] };
      }
      case "many":
        return { type: "many", cases: pick(r.hits) };
      case "none":
        return { type: "none", suggestions: pick(r.suggestions) };
    }
  }

  async get(slug: string): Promise<CaseDetail | undefined> {
    const cached = this.details.get(slug);
    if (cached) return cached;
    const revision = this.revision(slug);
    const detail = await store.findCase(this.db, slug);
    // A change that landed while this was read may not be in it: such a card is shown once, not kept.
    if (detail && this.revision(slug) === revision) this.details.set(slug, detail);
    return detail;
  }

  async categoryCounts(): Promise<Array<{ category: Category; count: number }>> {
    const counts = await store.countByCategory(this.db);
    return CATEGORIES.map((category) => ({ category, count: counts.get(category) ?? 0 })).filter((c) => c.count > 0);
  }

  async listCategory(category: Category, page: number, pageSize: number): Promise<CategoryPage> {
    const counts = await store.countByCategory(this.db);
    const total = counts.get(category) ?? 0;
    const pages = pageCount(total, pageSize);
    const current = clampPage(page, pages);
    const items = await store.listByCategory(this.db, category, current * pageSize, pageSize);
    return { category, items, page: current, pages, total };
  }

  reportSource(): Promise<CaseSource | undefined> {
    return store.latestSource(this.db);
  }

  /** All cases, sorted by English name; for the empty inline query. */
  all(): CaseBrief[] {
    return [...this.briefs.values()];
  }
}
