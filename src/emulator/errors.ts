/** Bot API error, answered as {ok:false, error_code, description, parameters?} with HTTP status = error_code. */
export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export class ApiError extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
    readonly injected = false,
  ) {
    super(description);
  }
}

export const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);

export type Params = Record<string, unknown>;

/** Numbers may arrive as strings from form bodies. */
export function optNum(p: Params, key: string): number | undefined {
  const v = p[key];
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(v);
  if (!Number.isFinite(n)) throw badRequest(`invalid ${key} specified`);
  return n;
}

export function optStr(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  return typeof v === "string" ? v : String(v);
}

export function optBool(p: Params, key: string): boolean {
  const v = p[key];
  return v === true || v === "true" || v === "1" || v === 1;
}

export function reqStr(p: Params, key: string): string {
  const v = optStr(p, key);
  if (v === undefined || v === "") throw badRequest(`${key} is empty`);
  return v;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
