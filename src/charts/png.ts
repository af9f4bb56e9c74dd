import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";

/**
 * SVG to PNG for the bot's /stats picture, with resvg (a Rust renderer shipped as a binary inside its
 * npm package). resvg draws text only with fonts it is given: DejaVu Sans comes from the
 * `dejavu-fonts-ttf` package (Latin, Cyrillic and every Kazakh letter), so the picture looks the same on
 * a laptop, in CI and in the slim Docker image, none of which may have system fonts. Debian's
 * fonts-dejavu-core is the fallback where the package is missing.
 */
const DEBIAN_DEJAVU = "/usr/share/fonts/truetype/dejavu";

function fontDirectory(): string | undefined {
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
    if (existsSync(join(dir, "DejaVuSans.ttf"))) return dir;
  } catch {
    // not installed: try the system's copy
  }
  return existsSync(join(DEBIAN_DEJAVU, "DejaVuSans.ttf")) ? DEBIAN_DEJAVU : undefined;
}

/** The font files resvg is given (regular and bold); empty when none was found. */
export function chartFonts(): string[] {
  const dir = fontDirectory();
  if (dir === undefined) return [];
  return ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => join(dir, f)).filter((f) => existsSync(f));
}

let fonts: string[] | undefined;

/** At `scale` times the SVG's size (2: sharp on phones), on a white background, with our fonts. */
export function chartOptions(scale = 2): ResvgRenderOptions {
  fonts ??= chartFonts();
  return {
    background: "#ffffff",
    fitTo: { mode: "zoom", value: scale },
    font: fonts.length > 0
      ? { fontFiles: fonts, loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" }
      : { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  };
}

/** Renders on the calling thread: for tools and tests; the bot uses StatsPictures (off the event loop). */
export function svgToPng(svg: string, scale = 2): Buffer {
  return new Resvg(svg, chartOptions(scale)).render().asPng();
}
