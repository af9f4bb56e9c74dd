import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface NameRow {
  english: string;
  russian: string;
  kazakhCyrillic: string;
  kazakhLatin: string;
  other: string[];
}

/** ../shared/names-reference.tsv beside the repository, when it is there (it is on every developer and CI machine). */
export const NAMES_FILE = fileURLToPath(new URL("../../../shared/names-reference.tsv", import.meta.url));

const clean = (s: string) => s.replace(/\(.*?\)/g, "").trim();

export function readNames(): NameRow[] {
  const lines = readFileSync(NAMES_FILE, "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
  return lines.slice(1).map((line) => {
    const [english = "", russian = "", kk = "", kkLatn = "", other = ""] = line.split("\t");
    return {
      english,
      russian: clean(russian),
      kazakhCyrillic: clean(kk),
      kazakhLatin: kkLatn,
      other: clean(other).split(",").map((s) => s.trim()).filter(Boolean),
    };
  });
}
