import type { Hono } from "hono";
import type { WebDeps, WebEnv } from "../deps.js";
import { apiRoutes } from "./api.js";
import { caseRoutes } from "./cases.js";
import { categoryRoutes } from "./categories.js";
import { homeRoutes } from "./home.js";
import { searchRoutes } from "./search.js";

/**
 * Every route module of the web: each exports a function that takes the web's dependencies and
 * returns a Hono sub-app mounted at "/". Add a module by adding it here.
 */
export const routeModules: ReadonlyArray<(deps: WebDeps) => Hono<WebEnv>> = [homeRoutes, searchRoutes, caseRoutes, categoryRoutes, apiRoutes];
