import { Composer } from "grammy";
import { setStaffMenu } from "../commands.js";
import type { BotContext } from "../context.js";
import { escapeHtml, HTML, truncate } from "../render/html.js";

/** Admins: /promote and /demote (moderators only: an admin's role follows ADMIN_IDS), and /audit. */
export const staffRolesFeature = new Composer<BotContext>();

async function changeRole(ctx: BotContext, match: string, role: "moderator" | "reader"): Promise<void> {
  if (!ctx.from) return;
  const arg = match.trim();
  const usage = role === "moderator" ? "moderation.promote_usage" : "moderation.demote_usage";
  if (!/^\d{1,16}$/.test(arg)) {
    await ctx.reply(escapeHtml(ctx.t(usage)), HTML);
    return;
  }
  const target = Number(arg);
  const result = await ctx.services.roles.setRole(ctx.from.id, target, role);
  if (result.type === "done") {
    const language = await ctx.services.users.language(target, undefined);
    await setStaffMenu(ctx.api, ctx.deps.i18n, target, language, role === "moderator").catch(() => undefined);
  }
  const key = {
    done: role === "moderator" ? "moderation.promoted" : "moderation.demoted",
    unchanged: role === "moderator" ? "moderation.promoted" : "moderation.demoted",
    forbidden: "moderation.admin_only",
    self: "rules.own_role",
    admin_by_config: "rules.admin_by_config",
  }[result.type];
  await ctx.reply(escapeHtml(ctx.t(key, { id: target })), HTML);
}

staffRolesFeature.command("promote", (ctx) => changeRole(ctx, ctx.match, "moderator"));
staffRolesFeature.command("demote", (ctx) => changeRole(ctx, ctx.match, "reader"));

staffRolesFeature.command("audit", async (ctx) => {
  if (!ctx.from) return;
  const rows = await ctx.services.roles.audit(ctx.from.id);
  if (rows === "forbidden") {
    await ctx.reply(escapeHtml(ctx.t("moderation.admin_only")), HTML);
    return;
  }
  if (rows.length === 0) {
    await ctx.reply(escapeHtml(ctx.t("moderation.audit_empty")), HTML);
    return;
  }
  const lines = rows.map(
    (r) => `${escapeHtml(r.created_at.slice(0, 16).replace("T", " "))} · <code>${r.actor_id}</code> · ${escapeHtml(r.action)} ${escapeHtml(r.target)}${r.detail ? ` · ${escapeHtml(truncate(r.detail, 80))}` : ""}`,
  );
  await ctx.reply([ctx.t("moderation.audit_title"), "", ...lines].join("\n"), HTML);
});

