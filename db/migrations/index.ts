import type { Migration } from "kysely";
import * as m20261125_0001 from "./20261125_0001_cases.js";
import * as m20261125_0002 from "./20261125_0002_following_and_moderation.js";
import * as m20261125_0003 from "./20261125_0003_outbox_workers.js";
import * as m20261125_0004 from "./20261125_0004_typed_updates_and_revisions.js";
import * as m20261203_0006 from "./20261203_0006_honest_cards.js";
import * as m20261203_0005 from "./20261203_0005_one_writer.js";
import * as m20261203_0007 from "./20261203_0007_send_budget.js";
import * as m20261206_0008 from "./20261206_0008_submission_shown_at.js";

/**
 * Every migration, by name. Listed statically (not read from the folder at run time) so that the
 * same code runs under tsx, vitest and a bundler alike. Add new migrations at the end.
 */
export const migrations: Record<string, Migration> = {
  "20261125_0001_cases": m20261125_0001,
  "20261125_0002_following_and_moderation": m20261125_0002,
  "20261125_0003_outbox_workers": m20261125_0003,
  "20261125_0004_typed_updates_and_revisions": m20261125_0004,
  "20261203_0006_honest_cards": m20261203_0006,
  "20261203_0005_one_writer": m20261203_0005,
  "20261203_0007_send_budget": m20261203_0007,
  "20261206_0008_submission_shown_at": m20261206_0008,
};
