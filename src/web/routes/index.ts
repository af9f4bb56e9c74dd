import type { Hono } from "hono";
import type { WebDeps, WebEnv } from "../deps.js";
import { apiRoutes } from "./api.js";
import { caseRoutes } from "./cases.js";
import { categoryRoutes } from "./categories.js";
import { feedRoutes } from "./feeds.js";
import { homeRoutes } from "./home.js";
import { miniAppRoutes } from "./miniapp.js";
import { openDataRoutes } from "./open-data.js";
import { searchRoutes } from "./search.js";
import { statsRoutes } from "./stats.js";

/**
 * The route modules of the web: each exports a function that takes the web's dependencies and
 * returns a Hono sub-app. Add a module by adding it to one of these lists.
 */
export type RouteModule = (deps: WebDeps) => Hono<WebEnv>;

/** Pages: served at the root and again under /app for the Mini App (links there stay under /app). */
export const pageModules: readonly RouteModule[] = [homeRoutes, searchRoutes, caseRoutes, categoryRoutes, statsRoutes];

/**
 * Everything else, at the root only: the API, feeds, exports, the Mini App's API. apiRoutes first:
 * its /api/* middleware (CORS, rate limit per address) covers the exports too.
 */
export const routeModules: readonly RouteModule[] = [apiRoutes, feedRoutes, openDataRoutes, miniAppRoutes];
