import type { ConversationFlavor } from "@grammyjs/conversations";
import type { Context } from "grammy";
import type { Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { DB } from "../store/db.js";
import type { CaseAdminService } from "../services/case-admin.js";
import type { CaseService } from "../services/cases.js";
import type { ModerationService } from "../services/moderation.js";
import type { FeedService } from "../services/feeds.js";
import type { OpenDataService } from "../services/open-data.js";
import type { StatsService } from "../services/stats.js";
import type { RoleService } from "../services/roles.js";
import type { SubscriptionService } from "../services/subscriptions.js";
import type { UserService } from "../services/users.js";

export interface Services {
  cases: CaseService;
  users: UserService;
  subscriptions: SubscriptionService;
  moderation: ModerationService;
  caseAdmin: CaseAdminService;
  stats: StatsService;
  /** For the web (feeds, open data): the bot process serves it too. */
  feeds: FeedService;
  openData: OpenDataService;
  roles: RoleService;
  /** Nudges the notification worker after an approval (a no-op where no worker runs in-process). */
  outbox: { wake(): void };
}

/** Everything features reach through `ctx`, injected once by createBot. */
export interface BotDeps {
  db: DB;
  logger: Logger;
  services: Services;
  i18n: { t(lang: Lang): Translate };
  /** The web's public address (PUBLIC_URL): Mini App buttons appear only when it is https. */
  publicUrl?: string;
}

export interface AppFlavor {
  deps: BotDeps;
  services: Services;
  log: Logger;
  lang: Lang;
  t: Translate;
}

/** The context inside conversations: a plain Context with our flavour installed again by a plugin. */
export type ConvContext = Context & AppFlavor;
export type BotContext = ConversationFlavor<Context & AppFlavor>;
