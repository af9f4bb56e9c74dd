import type { Lang } from "../domain/codes.js";
import type { Translate } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { CaseService } from "../services/cases.js";
import type { HealthReport } from "../services/health.js";
import type { FeedService } from "../services/feeds.js";
import type { OpenDataService } from "../services/open-data.js";
import type { StatsService } from "../services/stats.js";
import type { SubscriptionService } from "../services/subscriptions.js";
import type { UserService } from "../services/users.js";
import type { RateLimit } from "./rate-limit.js";

/** The services the web may use: the public face of the same data the bot shows. Never the store. */
export interface WebServices {
  cases: CaseService;
  subscriptions: SubscriptionService;
  users: UserService;
  stats: StatsService;
  feeds: FeedService;
  openData: OpenDataService;
}

export interface WebDeps {
  services: WebServices;
  i18n: { t(lang: Lang): Translate };
  logger: Logger;
  /** The address the public sees, without a trailing slash (links, canonical URLs, OpenGraph, Mini App). */
  publicUrl: string;
  /** Validates Mini App initData (HMAC keyed by the token); never sent anywhere. */
  botToken: string;
  /** For "Follow in Telegram" deep links; absent when the web runs without knowing the bot. */
  botUsername?: string;
  health(): Promise<HealthReport>;
  /** Per-address limits; defaults in web/app.tsx. */
  limits?: Partial<WebLimits>;
}

export interface WebLimits {
  /** Every /api/ request. */
  api: RateLimit;
  /** Searches: the /search page and /api/v1/cases?q=. */
  search: RateLimit;
}

/** Per-request values set by the web app's middleware. */
export interface WebEnv {
  Variables: {
    lang: Lang;
    t: Translate;
    /** The CSP nonce of this response, for the few inline scripts a page may carry. */
    nonce: string;
    /** Set on pages served under /app, the Mini App. */
    miniApp: boolean;
  };
}
