import type { Hono } from "hono";
import type { WebDeps, WebEnv } from "../deps.js";
import { apiRoutes } from "./api.js";
import { caseRoutes } from "./cases.js";
import { categoryRoutes } from "./categories.js";
import { feedRoutes } from "./feeds.js";
import { homeRoutes } from "./home.js";
import { openDataRoutes } from "./open-data.js";
import { searchRoutes } from "./search.js";
import { statsRoutes } from "./stats.js";

/**
 * Every route module of the web: each exports a function that takes the web's dependencies and
 * returns a Hono sub-app mounted at "/". Add a module by adding it here.
 */
// apiRoutes first: its /api/* middleware (CORS, rate limit per address) covers the exports too.
export const routeModules: ReadonlyArray<(deps: WebDeps) => Hono<WebEnv>> = [
  homeRoutes,
  searchRoutes,
  caseRoutes,
  categoryRoutes,
  apiRoutes,
  statsRoutes,
  feedRoutes,
  openDataRoutes,
];
