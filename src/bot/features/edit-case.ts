import { createConversation } from "@grammyjs/conversations";
import { Composer } from "grammy";
import { CATEGORIES, ROLES, STATUSES } from "../../domain/codes.js";
import { EDITABLE_FIELDS, type EditableField, isEditableField } from "../../domain/fields.js";
import { checkFieldValue, checkSource, SOURCE_MAX } from "../../domain/rules.js";
import type { EditResult } from "../../services/case-admin.js";
import { STEP, STEP_PATTERN } from "../callback-data.js";
import type { BotContext, ConvContext } from "../context.js";
import { type AnyContext, type AppConversation, askPerson, askText, codeButtons, plain, pressButton, rows, stillStaff, waitChoice } from "../conversation/steps.js";
import { CONVERSATION, type EditStart } from "../conversation/ids.js";
import { refuseUnlessStaff } from "../guards.js";
import { invalidText, invalidValue, valueHint } from "../render/desk-input.js";
import { escapeHtml, HTML } from "../render/html.js";
import { displayName } from "../../wording/names.js";
import { fieldLabel, valueText } from "../render/revisions.js";

/**
 * /editcase for moderators and admins: one field at a time, with its source or reason; every change
 * is a revision. /translations starts here with the person and the field already chosen.
 */

function enumOptions(field: EditableField): { codes: readonly string[]; prefix: "category" | "role" | "status" } | undefined {
  if (field === "status") return { codes: STATUSES, prefix: "status" };
  if (field === "category") return { codes: CATEGORIES, prefix: "category" };
  if (field === "role") return { codes: ROLES, prefix: "role" };
  return undefined;
}

function editResultText(ctx: AnyContext, result: EditResult): string {
  switch (result.type) {
    case "applied":
    case "pending": {
      const r = result.revision;
      const values = { id: r.id, field: fieldLabel(ctx.t, r.field), old: valueText(ctx.t, r.field, r.old_value, 200), new: valueText(ctx.t, r.field, r.new_value, 400) };
      return plain(ctx, result.type === "applied" ? "admin.edit.applied" : "admin.edit.pending", values);
    }
    case "unchanged":
      return plain(ctx, "admin.edit.unchanged");
    case "forbidden":
      return plain(ctx, "moderation.forbidden");
    case "not_found":
      return plain(ctx, "admin.edit.gone");
    case "invalid":
      return plain(ctx, result.field === "source" ? "admin.invalid.source_empty" : "admin.invalid.code", { max: SOURCE_MAX });
  }
}

/**
 * /editcase <name>: the person (a choice when several match) → the field → the new value (buttons for
 * category, role and status) → the source or reason → saved, or recorded to wait for a second moderator.
 * /translations starts here with the person and the field already chosen.
 */
export async function editCaseConversation(conversation: AppConversation, ctx: ConvContext, start: EditStart = {}): Promise<void> {
  const actor = ctx.from?.id;
  if (actor === undefined) return;
  if (!(await stillStaff(conversation, ctx, actor))) return;
  const slug = start.slug ?? (await askPerson(conversation, ctx, start.query ?? "", {
      keys: { textOnly: "admin.text_only", noCommands: "admin.no_commands", ask: "admin.edit.ask_person", choose: "admin.edit.choose_person", notFound: "admin.edit.not_found" },
      pick: STEP.editPerson,
      pattern: STEP_PATTERN.editPerson,
      otherwise: pressButton,
      guard: (c) => stillStaff(conversation, c, actor),
    }));
  if (slug === undefined) return;
  const brief = await conversation.external((outer) => outer.services.cases.brief(slug) ?? null);
  if (!brief) {
    await ctx.reply(plain(ctx, "admin.edit.gone"), HTML);
    return;
  }
  const name = displayName(brief.names, ctx.lang);
  const t = ctx.t;

  let field: EditableField;
  let step: ConvContext = ctx;
  if (isEditableField(start.field)) {
    field = start.field;
  } else {
    const prompt = t("admin.edit.ask_field", { name });
    const keyboard = [
      ...rows(EDITABLE_FIELDS.map((f) => ({ text: t(`admin.field.${f}`), callback_data: STEP.editField(f) })), 2),
      [{ text: t("button.cancel"), callback_data: STEP.editFieldCancel }],
    ];
    await ctx.reply(escapeHtml(prompt), { ...HTML, reply_markup: { inline_keyboard: keyboard } });
    const picked = await waitChoice(conversation, STEP_PATTERN.editField, escapeHtml(prompt), (code) =>
      code === "cancel" ? t("button.cancel") : isEditableField(code) ? t(`admin.field.${code}`) : undefined,
    );
    step = picked.ctx;
    if (!isEditableField(picked.code)) {
      await step.reply(plain(step, "admin.new.cancelled"), HTML);
      return;
    }
    if (!(await stillStaff(conversation, step, actor))) return;
    field = picked.code;
  }

  const current = await conversation.external((outer) => outer.services.caseAdmin.currentValue(actor, slug, field));
  if (current === "forbidden") {
    await step.reply(plain(step, "moderation.forbidden"), HTML);
    return;
  }
  if (current === "not_found") {
    await step.reply(plain(step, "admin.edit.gone"), HTML);
    return;
  }
  const header = [
    `<b>${escapeHtml(name)}</b> — ${escapeHtml(t(`admin.field.${field}`))}`,
    `${plain(step, "admin.edit.current")} ${escapeHtml(valueText(t, field, current.value, 1500))}`,
  ];

  let value: string | null;
  const options = enumOptions(field);
  if (options) {
    const prompt = [...header, "", plain(step, "admin.edit.ask_value_choice")];
    if (field === "status") prompt.push(`<i>${plain(step, "admin.edit.sensitive_note")}</i>`);
    const keyboard = [
      ...codeButtons(t, options.codes.filter((c) => c !== current.value), options.prefix, STEP.editValue, options.prefix === "status" ? 2 : 1),
      [{ text: t("button.cancel"), callback_data: STEP.editValueCancel }],
    ];
    await step.reply(prompt.join("\n"), { ...HTML, reply_markup: { inline_keyboard: keyboard } });
    const picked = await waitChoice(conversation, STEP_PATTERN.editValue, prompt.join("\n"), (code) =>
      code === "cancel" ? t("button.cancel") : options.codes.includes(code) ? t(`${options.prefix}.${code}`) : undefined,
    );
    step = picked.ctx;
    if (picked.code === "cancel") {
      await step.reply(plain(step, "admin.new.cancelled"), HTML);
      return;
    }
    if (!(await stillStaff(conversation, step, actor))) return;
    value = picked.code;
  } else {
    await step.reply([...header, "", `${plain(step, "admin.edit.ask_value_text")} ${escapeHtml(valueHint(step.t, field))}`].join("\n"), HTML);
    const guard = (c: ConvContext) => stillStaff(conversation, c, actor);
    const answer = await askText(
      conversation,
      (raw) => {
        const checked = checkFieldValue(field, raw);
        return checked.ok && checked.value !== current.value ? { value: checked.value } : undefined;
      },
      (c, raw) => {
        const checked = checkFieldValue(field, raw);
        return checked.ok ? plain(c, "admin.invalid.same_value") : invalidValue(c.t, field, checked, raw);
      },
      { guard },
    );
    if (!answer) return;
    step = answer.ctx;
    value = answer.value.value;
  }

  await step.reply(plain(step, "admin.edit.ask_source"), HTML);
  const given = await askText(
    conversation,
    (raw) => {
      const checked = checkSource(raw);
      return checked.ok ? checked.value : undefined;
    },
    (c, raw) => {
      const checked = checkSource(raw);
      return invalidText(c.t, "source", checked.ok ? "empty" : checked.reason);
    },
    { guard: (c) => stillStaff(conversation, c, actor) },
  );
  if (!given) return;
  step = given.ctx;
  const source = given.value;

  const newValue = value ?? "";
  const result = await conversation.external(async (outer) => {
    const r = await outer.services.caseAdmin.editField(actor, slug, field, newValue, source);
    // Staff hear of a change waiting for them through the outbox, written with the change.
    if (r.type === "pending") outer.services.outbox.wake();
    return r;
  });
  await step.reply(editResultText(step, result), HTML);
}


export const editCaseFeature = new Composer<BotContext>();

editCaseFeature.use(createConversation(editCaseConversation, { id: CONVERSATION.editCase }));

editCaseFeature.command("editcase", async (ctx) => {
  if (await refuseUnlessStaff(ctx)) return;
  await ctx.conversation.enter(CONVERSATION.editCase, { query: ctx.match.slice(0, 200) });
});

// Buttons of a /newcase or /editcase conversation pressed after it ended (or forged): refused for readers, stale for staff.
editCaseFeature.callbackQuery(STEP_PATTERN.deskStep, async (ctx) => {
  if (await refuseUnlessStaff(ctx)) return;
  await ctx.answerCallbackQuery({ text: ctx.t("errors.stale_button") });
});
