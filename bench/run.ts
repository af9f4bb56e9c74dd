/**
 * `npm run bench`: name search, the Telegram round trip, the web (pages and search API; open data,
 * feeds and /stats) beside a bare route, and the send budget (issue 10): fan-out with
 * readers, fan-out alone, the same two on PostgreSQL with a bot and two workers, and a burst against a
 * bare grammY bot. Each figure is printed beside its target.
 *
 * Run in parts: `npm run bench -- burst fanout-readers` or BENCH_PARTS=search,roundtrip. Parts:
 *   search, roundtrip, web, opendata, burst, fanout-readers, fanout, pg-fanout-readers, pg-fanout
 * Sizes: BENCH_FANOUT (followers, no readers; default 10,000: about six minutes), BENCH_FANOUT_READERS
 * (followers with 8 readers; default 600). PostgreSQL parts need BENCH_POSTGRES_URL or TEST_POSTGRES_URL
 * (a fresh database is made on that server and dropped after) and are skipped without.
 */
import { benchBurst } from "./burst.js";
import { benchFanout } from "./fanout.js";
import { benchOpenData } from "./open-data.js";
import { benchRoundTrip } from "./roundtrip.js";
import { benchSearch } from "./search.js";
import { benchWeb } from "./web.js";

const ALL = ["search", "roundtrip", "web", "opendata", "burst", "fanout-readers", "fanout", "pg-fanout-readers", "pg-fanout"] as const;
type Part = (typeof ALL)[number];

const asked = [...process.argv.slice(2), ...(process.env["BENCH_PARTS"] ?? "").split(",")].map((s) => s.trim()).filter(Boolean);
const unknown = asked.filter((p) => !(ALL as readonly string[]).includes(p));
if (unknown.length > 0) {
  console.error(`unknown bench part(s): ${unknown.join(", ")}; parts are ${ALL.join(", ")}`);
  process.exit(2);
}
const parts: readonly Part[] = asked.length > 0 ? (asked as Part[]) : ALL;
const followers = Number(process.env["BENCH_FANOUT"] ?? 10_000);
const withReaders = Number(process.env["BENCH_FANOUT_READERS"] ?? 600);
const postgresUrl = process.env["BENCH_POSTGRES_URL"] ?? process.env["TEST_POSTGRES_URL"];

for (const part of parts) {
  console.log(`=== ${part} ===`);
  switch (part) {
    case "search":
      await benchSearch();
      break;
    case "roundtrip":
      await benchRoundTrip();
      break;
    case "web":
      await benchWeb();
      break;
    case "opendata":
      await benchOpenData();
      break;
    case "burst":
      await benchBurst();
      break;
    case "fanout-readers":
      await benchFanout({ followers: withReaders, readers: 8, database: "sqlite" });
      break;
    case "fanout":
      await benchFanout({ followers, readers: 0, database: "sqlite" });
      break;
    case "pg-fanout-readers":
    case "pg-fanout":
      if (!postgresUrl) {
        console.log("skipped: set BENCH_POSTGRES_URL (or TEST_POSTGRES_URL) to a PostgreSQL server");
        break;
      }
      await benchFanout({ followers: part === "pg-fanout" ? followers : withReaders, readers: part === "pg-fanout" ? 0 : 8, database: "postgres", postgresUrl });
      break;
  }
  console.log("");
}
