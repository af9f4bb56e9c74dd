import { Composer, GrammyError, InputFile } from "grammy";
import { StatsPictures } from "../../charts/picture.js";
import { statsSummary } from "../../charts/stats-charts.js";
import type { BotContext, BotDeps } from "../context.js";

/** Pictures depend only on figures, language and day: one cache for the process. */
const pictures = new StatsPictures();
/**
 * Telegram's file id of a picture this bot already uploaded, by picture key, so the same picture is
 * sent again without an upload. Kept per bot (per createBot's deps): file ids belong to one bot.
 */
const uploadedByBot = new WeakMap<BotDeps, Map<string, string>>();
const MAX_UPLOADED = 64;

function uploadedFor(deps: BotDeps): Map<string, string> {
  let map = uploadedByBot.get(deps);
  if (!map) uploadedByBot.set(deps, (map = new Map()));
  return map;
}

function remember(uploaded: Map<string, string>, key: string, fileId: string | undefined): void {
  if (fileId === undefined) return;
  uploaded.set(key, fileId);
  while (uploaded.size > MAX_UPLOADED) uploaded.delete(uploaded.keys().next().value!);
}

export const statsFeature = new Composer<BotContext>();

/**
 * /stats, in private chats and groups: the charts of the web's /stats page as one picture, with a
 * one-line summary as its caption. If Telegram refuses the picture, the summary still arrives as text.
 */
statsFeature.command("stats", async (ctx) => {
  const stats = await ctx.services.stats.get();
  const caption = statsSummary(stats, ctx.t, ctx.lang);
  const uploaded = uploadedFor(ctx.deps);
  const key = StatsPictures.key(stats, ctx.lang);
  const known = uploaded.get(key);
  if (known !== undefined) {
    try {
      await ctx.replyWithPhoto(known, { caption });
      return;
    } catch (err) {
      if (!(err instanceof GrammyError) || err.error_code !== 400) throw err;
      uploaded.delete(key); // an id Telegram no longer knows: upload again
    }
  }
  try {
    const png = await pictures.png(stats, ctx.t, ctx.lang);
    const sent = await ctx.replyWithPhoto(new InputFile(png, "stats.png"), { caption });
    remember(uploaded, key, sent.photo?.at(-1)?.file_id);
  } catch (err) {
    ctx.log.warn("stats picture not sent", { err: err instanceof GrammyError ? err.description : String(err) });
    await ctx.reply(caption);
  }
});
