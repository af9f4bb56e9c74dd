/**
 * A few lines of SVG per chart kind, built on the server: horizontal bars for categories and statuses,
 * columns for months. Every label is escaped here; each chart carries a <title> and a <desc> (the
 * figures in words) that screen readers announce, and the page shows the same figures as a table.
 */
import { escapeXml } from "../markup.js";

export { escapeXml };

export interface Bar {
  label: string;
  value: number;
}

export interface ChartText {
  /** Unique within a page: the ids of <title> and <desc> derive from it. */
  id: string;
  title: string;
  /** The figures in words, for screen readers. */
  desc: string;
  /** Draw the title inside the picture (the bot's photo); a page gives it as an HTML heading instead. */
  heading?: boolean;
}

export interface Chart {
  svg: string;
  width: number;
  height: number;
}

export const FONT_FAMILY = "DejaVu Sans, Noto Sans, Arial, sans-serif";
const INK = "#1b1b1b";
const MUTED = "#5a5a5a";
const BAR = "#2f6690";
const GRID = "#d8d8d8";

/** Labels come from the locale files, but a chart must not run off its edge: cut very long ones. */
export function clip(label: string, max = 64): string {
  const chars = [...label];
  return chars.length > max ? `${chars.slice(0, max - 1).join("")}…` : label;
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function open(text: ChartText, width: number, height: number): string {
  const id = escapeXml(text.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${FONT_FAMILY}">` +
    `<title id="${id}-title">${escapeXml(text.title)}</title><desc id="${id}-desc">${escapeXml(text.desc)}</desc>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    (text.heading === false ? "" : `<text x="16" y="28" font-size="18" font-weight="bold" fill="${INK}">${escapeXml(text.title)}</text>`)
  );
}

/** Room the drawn title takes at the top. */
function headroom(text: ChartText): number {
  return text.heading === false ? 0 : 36;
}

/**
 * Horizontal bars, each with its label above it (labels in Russian and Kazakh run long) and its
 * value at the end of the bar. Bars are scaled to the largest value; a zero shows as a hairline.
 */
export function barChart(text: ChartText, bars: Bar[], width = 640): Chart {
  const top = 12 + headroom(text);
  const row = 46;
  const line = 17;
  const left = 16;
  const right = 56;
  // DejaVu Sans at 14px averages about 8.4px a letter: wrap a label that would run past the edge.
  const perLine = Math.floor((width - left - 8) / 8.4);
  const labels = bars.map((b) => wrap(b.label, perLine));
  const height = top + labels.reduce((h, l) => h + row + (l.length - 1) * line, 0) + (bars.length === 0 ? row : 0) + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const span = width - left - right;
  const parts = [open(text, width, height)];
  let y = top;
  bars.forEach((b, i) => {
    const lines = labels[i]!;
    const w = b.value > 0 ? Math.max(2, (b.value / max) * span) : 1;
    const tspans = lines.map((l, j) => `<tspan x="${left}" dy="${j === 0 ? 0 : line}">${escapeXml(l)}</tspan>`).join("");
    const barY = y + 21 + (lines.length - 1) * line;
    parts.push(
      `<text x="${left}" y="${y + 14}" font-size="14" fill="${INK}">${tspans}</text>`,
      `<rect x="${left}" y="${barY}" width="${num(w)}" height="16" rx="2" fill="${b.value > 0 ? BAR : GRID}"/>`,
      `<text x="${num(left + w + 6)}" y="${barY + 13}" font-size="14" font-weight="bold" fill="${INK}">${num(b.value)}</text>`,
    );
    y += row + (lines.length - 1) * line;
  });
  parts.push("</svg>");
  return { svg: parts.join(""), width, height };
}

/** Splits a label at spaces into at most two lines of `perLine` letters; what is left is cut. */
export function wrap(label: string, perLine: number): string[] {
  const text = clip(label);
  if ([...text].length <= perLine) return [text];
  const words = text.split(" ");
  let first = "";
  while (words.length > 0 && [...`${first} ${words[0]}`.trim()].length <= perLine) first = `${first} ${words.shift()}`.trim();
  if (first === "") return [clip(text, perLine)];
  const rest = words.join(" ");
  return rest === "" ? [first] : [first, clip(rest, perLine)];
}

export interface Column {
  /** First line under the column (a month). */
  label: string;
  /** Second line, shown only where it changes (a year). */
  sublabel?: string;
  value: number;
}

/** Vertical columns with their values above and labels below; a baseline and a zero line. */
export function columnChart(text: ChartText, columns: Column[], width = 640, note?: string): Chart {
  const top = 20 + headroom(text);
  const plot = 180;
  const left = 16;
  const right = 16;
  const base = top + plot;
  const height = base + 48 + (note ? 22 : 0);
  const max = Math.max(1, ...columns.map((c) => c.value));
  const slot = (width - left - right) / Math.max(1, columns.length);
  const bar = Math.min(36, slot * 0.64);
  // Narrow charts (phones) get smaller month labels, so that "сент." and "нояб." do not touch.
  const small = slot < 44 ? 10.5 : 12;
  const parts = [open(text, width, height)];
  parts.push(`<line x1="${left}" y1="${base}" x2="${width - right}" y2="${base}" stroke="${MUTED}" stroke-width="1"/>`);
  let lastSub: string | undefined;
  columns.forEach((c, i) => {
    const cx = left + slot * i + slot / 2;
    const h = c.value > 0 ? Math.max(2, (c.value / max) * (plot - 22)) : 0;
    if (h > 0) parts.push(`<rect x="${num(cx - bar / 2)}" y="${num(base - h)}" width="${num(bar)}" height="${num(h)}" rx="2" fill="${BAR}"/>`);
    parts.push(
      `<text x="${num(cx)}" y="${num(base - h - 6)}" font-size="13" font-weight="bold" text-anchor="middle" fill="${c.value > 0 ? INK : MUTED}">${num(c.value)}</text>`,
      `<text x="${num(cx)}" y="${base + 18}" font-size="${small}" text-anchor="middle" fill="${INK}">${escapeXml(c.label)}</text>`,
    );
    if (c.sublabel !== undefined && c.sublabel !== lastSub) {
      parts.push(`<text x="${num(cx)}" y="${base + 34}" font-size="${small}" text-anchor="middle" fill="${MUTED}">${escapeXml(c.sublabel)}</text>`);
    }
    lastSub = c.sublabel;
  });
  if (note) parts.push(`<text x="${left}" y="${height - 10}" font-size="13" fill="${MUTED}">${escapeXml(note)}</text>`);
  parts.push("</svg>");
  return { svg: parts.join(""), width, height };
}

/** Several charts one under another in one picture (the bot sends one photo), with a heading. */
export function stack(text: ChartText, charts: Chart[], footer?: string): Chart {
  const width = Math.max(...charts.map((c) => c.width));
  let y = 44;
  const body: string[] = [];
  for (const c of charts) {
    // Nested charts keep their own <title>/<desc>; x/y place them.
    body.push(c.svg.replace(/^<svg /, `<svg x="0" y="${y}" `));
    y += c.height + 12;
  }
  const height = y + (footer ? 24 : 0);
  const id = escapeXml(text.id);
  const head =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${FONT_FAMILY}">` +
    `<title id="${id}-title">${escapeXml(text.title)}</title><desc id="${id}-desc">${escapeXml(text.desc)}</desc>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="16" y="30" font-size="22" font-weight="bold" fill="${INK}">${escapeXml(text.title)}</text>`;
  const foot = footer ? `<text x="16" y="${height - 12}" font-size="13" fill="${MUTED}">${escapeXml(footer)}</text>` : "";
  return { svg: `${head}${body.join("")}${foot}</svg>`, width, height };
}
