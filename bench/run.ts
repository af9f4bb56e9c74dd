/**
 * `npm run bench`: name search, the Telegram round trip, the web's open data beside a bare route, and the
 * notification fan-out.
 * BENCH_FANOUT sets the number of followers (default 10,000: about six minutes at 30 messages/s).
 */
import { benchFanout } from "./fanout.js";
import { benchOpenData } from "./open-data.js";
import { benchRoundTrip } from "./roundtrip.js";
import { benchSearch } from "./search.js";

console.log("=== name search ===");
await benchSearch();
console.log("");
console.log("=== round trip ===");
await benchRoundTrip();
console.log("");
console.log("=== web: open data, feeds, /stats (BENCH_WEB_SECONDS per route, default 5) ===");
await benchOpenData();
console.log("");
console.log("=== notification fan-out ===");
await benchFanout({ followers: Number(process.env["BENCH_FANOUT"] ?? 10_000) });
