import type { Context } from "grammy";
import type { Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { CaseService } from "../services/cases.js";
import type { UserService } from "../services/users.js";

export interface Services {
  cases: CaseService;
  users: UserService;
}

/** Everything features reach through `ctx`, injected once by createBot. */
export interface BotDeps {
  logger: Logger;
  services: Services;
  i18n: { t(lang: Lang): Translate };
}

export interface AppFlavor {
  deps: BotDeps;
  services: Services;
  log: Logger;
  lang: Lang;
  t: Translate;
}

export type BotContext = Context & AppFlavor;
