/**
 * Recognises an error that comes from the database or the way to it (SQLite, PostgreSQL, the pool),
 * as opposed to a bug: callers tell the person "try again later" rather than "something went wrong".
 */
const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|Connection ended|the database system is (starting up|shutting down)|terminating connection|database (is )?unavailable/i;

export function isDatabaseError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") {
      if (code.startsWith("SQLITE_")) return true;
      if (CONNECTION_CODES.has(code)) return true;
      // PostgreSQL's SQLSTATE: five characters, with the severity the server sends beside it.
      if (/^[0-9A-Z]{5}$/.test(code) && typeof (e as { severity?: unknown }).severity === "string") return true;
    }
    if (e.name === "SqliteError") return true;
    if (CONNECTION_MESSAGES.test(e.message)) return true;
    if (e instanceof AggregateError && e.errors.some((inner) => isDatabaseError(inner))) return true;
  }
  return false;
}
