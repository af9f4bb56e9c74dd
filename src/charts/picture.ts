import { renderAsync } from "@resvg/resvg-js";
import type { Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import type { Stats } from "../services/stats.js";
import { chartOptions } from "./png.js";
import { statsSheet } from "./stats-charts.js";

/**
 * The /stats picture, drawn off the event loop (resvg's async render runs on libuv's thread pool)
 * and kept while the figures, the language and the day stay the same: the figures change a few
 * times a day, readers ask far more often. `key` also names the picture for Telegram file ids.
 */
export class StatsPictures {
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(private readonly max = 12) {}

  static key(stats: Stats, lang: Lang): string {
    const { at, ...figures } = stats;
    return `${lang}|${at.slice(0, 10)}|${JSON.stringify(figures)}`;
  }

  png(stats: Stats, t: Translate, lang: Lang): Promise<Buffer> {
    const key = StatsPictures.key(stats, lang);
    const hit = this.cache.get(key);
    if (hit) return hit;
    const made = renderAsync(statsSheet(stats, t, lang).svg, chartOptions()).then((img) => img.asPng());
    // A failed render is not kept: the next reader tries again.
    made.catch(() => this.cache.delete(key));
    this.cache.set(key, made);
    while (this.cache.size > this.max) this.cache.delete(this.cache.keys().next().value!);
    return made;
  }
}
