import type { WebDeps, WebLimits } from "./deps.js";
import { RateCounter } from "./rate-limit.js";

/** Generous for a reader or a script that pages through the data; tight enough to stop a flood. */
export const DEFAULT_LIMITS: WebLimits = {
  api: { limit: 300, windowMs: 60_000 },
  search: { limit: 60, windowMs: 60_000 },
};

const counters = new WeakMap<WebDeps, Record<keyof WebLimits, RateCounter>>();

/** One counter per kind for the whole app, shared by every route that counts against it. */
export function countersOf(deps: WebDeps): Record<keyof WebLimits, RateCounter> {
  let found = counters.get(deps);
  if (!found) {
    const limits = { ...DEFAULT_LIMITS, ...deps.limits };
    found = { api: new RateCounter(limits.api), search: new RateCounter(limits.search) };
    counters.set(deps, found);
  }
  return found;
}
