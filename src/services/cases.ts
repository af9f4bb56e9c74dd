import type { CaseBrief, CaseDetail, CaseSource } from "../domain/case.js";
import { CATEGORIES, type Category } from "../domain/codes.js";
import { SearchIndex } from "../search/index.js";
import * as store from "../store/cases.js";
import type { DB } from "../store/db.js";

export type FindResult =
  | { type: "empty" }
  | { type: "one"; case: CaseBrief }
  | { type: "many"; cases: CaseBrief[] }
  | { type: "none"; suggestions: CaseBrief[] };

export interface CategoryPage {
  category: Category;
  items: CaseBrief[];
  page: number;
  pages: number;
  total: number;
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

  constructor(private readonly db: DB) {}

  async refresh(): Promise<void> {
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

  get(slug: string): Promise<CaseDetail | undefined> {
    return store.findCase(this.db, slug);
  }

  async categoryCounts(): Promise<Array<{ category: Category; count: number }>> {
    const counts = await store.countByCategory(this.db);
    return CATEGORIES.map((category) => ({ category, count: counts.get(category) ?? 0 })).filter((c) => c.count > 0);
  }

  async listCategory(category: Category, page: number, pageSize: number): Promise<CategoryPage> {
    const counts = await store.countByCategory(this.db);
    const total = counts.get(category) ?? 0;
    const pages = Math.max(1, Math.ceil(total / pageSize));
    const current = Math.min(Math.max(0, page), pages - 1);
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
