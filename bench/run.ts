/**
 * `npm run bench`: name search, the Telegram round trip, the web (pages and search API; open data, feeds
 * and /stats) beside a bare route, and the notification fan-out.
 * BENCH_FANOUT sets the number of followers (default 10,000: about six minutes at 30 messages/s).
 */
import { benchFanout } from "./fanout.js";
import { benchOpenData } from "./open-data.js";
import { benchRoundTrip } from "./roundtrip.js";
import { benchSearch } from "./search.js";
import { benchWeb } from "./web.js";

console.log("=== name search ===");
await benchSearch();
console.log("");
console.log("=== round trip ===");
await benchRoundTrip();
console.log("");
console.log("=== web: case page and search API (BENCH_WEB_SECONDS per route, default 5) ===");
await benchWeb();
console.log("");
console.log("=== web: open data, feeds, /stats (BENCH_WEB_SECONDS per route, default 5) ===");
await benchOpenData();
console.log("");
console.log("=== notification fan-out ===");
await benchFanout({ followers: Number(process.env["BENCH_FANOUT"] ?? 10_000) });
