/** `npm run bench`: name search, then the Telegram round trip. */
import { benchRoundTrip } from "./roundtrip.js";
import { benchSearch } from "./search.js";

console.log("=== name search ===");
await benchSearch();
console.log("");
console.log("=== round trip ===");
await benchRoundTrip();
