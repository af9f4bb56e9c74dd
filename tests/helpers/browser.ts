import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { ROOT } from "./process.js";

export const CHROMIUM = "/usr/bin/chromium";
export const ARTIFACTS = join(ROOT, "test-artifacts");

/**
 * Browser tests need Debian's Chromium (`.ci/run` installs it). Where it is missing they are skipped,
 * except in CI, where a missing browser must fail rather than pass unseen.
 */
export const haveChromium = existsSync(CHROMIUM) || process.env["CI"] === "true";

/** Headless Chromium with nothing that reaches the network by itself. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const artifact = (name: string) => join(ARTIFACTS, name);
