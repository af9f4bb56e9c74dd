import { Composer } from "grammy";
import { encode } from "../callback-data.js";
import type { BotContext } from "../context.js";
import { escapeHtml, HTML, truncate } from "../render/html.js";
import { displayName } from "../../wording/names.js";
import { replyView } from "../reply.js";
import { renderPendingRevisions } from "../views/revisions.js";

export const queueFeature = new Composer<BotContext>();

/** /queue: submissions waiting for a decision, then case changes waiting for a second moderator. */
queueFeature.command("queue", async (ctx) => {
  if (!ctx.from) return;
  const pending = await ctx.services.moderation.pending(ctx.from.id);
  if (pending === "forbidden") {
    await ctx.reply(escapeHtml(ctx.t("moderation.forbidden")), HTML);
    return;
  }
  if (pending.length > 0) {
    await replyView(ctx, {
      text: ctx.t("moderation.queue_title", { count: pending.length }),
      keyboard: {
        inline_keyboard: pending.map((s) => {
          const brief = ctx.services.cases.brief(s.case_slug);
          const waiting = s.status === "awaiting_confirmation" ? "⏳ " : "";
          const label = `${waiting}#${s.id} ${brief ? displayName(brief.names, ctx.lang) : s.case_slug}: ${s.text.replace(/\s+/g, " ")}`;
          return [{ text: truncate(label, 60), callback_data: encode({ kind: "review", id: s.id }) }];
        }),
      },
    });
  }
  const revisions = await renderPendingRevisions(ctx);
  if (pending.length === 0 && revisions === 0) await ctx.reply(escapeHtml(ctx.t("moderation.queue_empty")), HTML);
});

