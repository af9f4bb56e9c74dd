import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebServer } from "../../src/web/server.js";
import { PUBLIC_URL, type TestWeb, testWeb } from "../helpers/web-app.js";

let web: TestWeb;
beforeAll(async () => {
  web = await testWeb();
});
afterAll(async () => {
  await web.close();
});

interface Brief {
  slug: string;
  names: { en: string; ru: string | null; kk: string | null; kk_latn: string | null };
  category: string;
  status: string;
  url: string;
}
interface ListBody {
  data: Brief[];
  page: number;
  per_page: number;
  total: number;
  pages: number;
  match?: string;
  suggestions?: Brief[];
}
const getJson = async <T>(path: string, headers: Record<string, string> = {}) => {
  const res = await web.app.request(path, { headers });
  return { res, body: (await res.json()) as T };
};

describe("GET /api/v1/cases", () => {
  it("pages through every public case with a stable shape", async () => {
    const { res, body } = await getJson<ListBody>("/api/v1/cases?per_page=10&page=2");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(body.page).toBe(2);
    expect(body.per_page).toBe(10);
    expect(body.total).toBe(37);
    expect(body.pages).toBe(4);
    expect(body.data).toHaveLength(10);
    expect(Object.keys(body.data[0] ?? {}).sort()).toEqual(["category", "names", "slug", "status", "url"]);
    expect(body.data[0]?.url).toBe(`${PUBLIC_URL}/cases/${body.data[0]?.slug}`);
    const all = await getJson<ListBody>("/api/v1/cases?per_page=100");
    expect(new Set(all.body.data.map((b) => b.slug)).size).toBe(37);
  });

  it("filters by category and status", async () => {
    const { body } = await getJson<ListBody>("/api/v1/cases?category=abroad&per_page=100");
    expect(body.total).toBeGreaterThan(0);
    expect(body.data.every((b) => b.category === "abroad")).toBe(true);
    const status = body.data[0]?.status ?? "";
    const both = await getJson<ListBody>(`/api/v1/cases?category=abroad&status=${status}&per_page=100`);
    expect(both.body.data.every((b) => b.category === "abroad" && b.status === status)).toBe(true);
  });

  it("searches with ?q= like /case: one, several (three Khrapunovs), none with suggestions", async () => {
    const one = await getJson<ListBody>("/api/v1/cases?q=%D0%91%D0%BE%D2%9B%D0%B0%D0%B5%D0%B2");
    expect(one.body.match).toBe("one");
    expect(one.body.data.map((b) => b.slug)).toEqual(["maks-bokayev"]);
    const many = await getJson<ListBody>("/api/v1/cases?q=Khrapunov");
    expect(many.body.match).toBe("many");
    expect(many.body.data.map((b) => b.slug).sort()).toEqual(["ilyas-khrapunov", "leila-khrapunova", "viktor-khrapunov"]);
    const none = await getJson<ListBody>("/api/v1/cases?q=Qwxzzy");
    expect(none.body.match).toBe("none");
    expect(none.body.data).toEqual([]);
  });

  it("refuses bad parameters with 400", async () => {
    for (const q of ["category=nope", "status=free", "page=0", "per_page=1000", "page=abc"]) {
      expect((await web.app.request(`/api/v1/cases?${q}`)).status).toBe(400);
    }
  });

  it("answers with an ETag, 304 on a match, open CORS for GET and a short public cache", async () => {
    const first = await web.app.request("/api/v1/cases", { headers: { origin: "https://research.example.net" } });
    const tag = first.headers.get("etag");
    expect(tag).toBeTruthy();
    expect(first.headers.get("access-control-allow-origin")).toBe("*");
    expect(first.headers.get("cache-control")).toBe("public, max-age=60");
    const again = await web.app.request("/api/v1/cases", { headers: { "if-none-match": tag ?? "" } });
    expect(again.status).toBe(304);
    const preflight = await web.app.request("/api/v1/cases", { method: "OPTIONS", headers: { origin: "https://x.example", "access-control-request-method": "GET" } });
    expect(preflight.headers.get("access-control-allow-methods")).toContain("GET");
    expect(preflight.headers.get("access-control-allow-methods")).not.toContain("POST");
  });
});

describe("GET /api/v1/cases/<slug>", () => {
  it("gives the whole public card", async () => {
    const { res, body } = await getJson<{ data: Record<string, unknown> }>("/api/v1/cases/maks-bokayev");
    expect(res.status).toBe(200);
    expect(Object.keys(body.data).sort()).toEqual(
      ["added_at", "added_source", "aliases", "category", "events", "name_confirmed", "names", "origin", "role", "slug", "source", "status", "status_basis", "status_confirmed_at", "status_since", "status_source", "summary", "url"].sort(),
    );
    expect(body.data["names"]).toMatchObject({ en: "Maks Bokayev", ru: "Макс Бокаев", kk: "Макс Боқаев" });
    expect((body.data["summary"] as Record<string, string>)["ru"]).toContain("Бокаев");
    expect((body.data["source"] as Record<string, string>)["as_of"]).toMatch(/^2017-12/);
    const withEvents = await getJson<{ data: Record<string, unknown> }>("/api/v1/cases/zhanara-akhmetova");
    const events = withEvents.body.data["events"] as Array<Record<string, unknown>>;
    expect(events.length).toBeGreaterThan(0);
    expect(Object.keys(events[0] ?? {}).sort()).toEqual(["date", "hearing_date", "original_lang", "origin", "source_url", "status_from", "status_to", "text", "type"].sort());
  });

  it("is a JSON 404 for an unknown or malformed slug", async () => {
    for (const slug of ["nobody-here", "DROP%20TABLE", "..%2F..%2Fetc%2Fpasswd"]) {
      const res = await web.app.request(`/api/v1/cases/${slug}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: "not_found" });
    }
  });
});

describe("rate limits per address", () => {
  it("the API answers 429 with Retry-After past its limit", async () => {
    const limited = await testWeb({ limits: { api: { limit: 3, windowMs: 60_000 } } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await limited.app.request("/api/v1/cases")).status);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const res = await limited.app.request("/api/v1/cases/maks-bokayev");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.headers.get("cache-control")).toBe("no-store");
    await limited.close();
  });

  it("counts each address on its own over a real connection, whatever X-Forwarded-For claims", async () => {
    const limited = await testWeb({ limits: { api: { limit: 3, windowMs: 60_000 } } });
    const server = await startWebServer(limited.app, 0, "127.0.0.1");
    // Loopback has a whole /8: the same machine can speak from 127.0.0.2 and 127.0.0.3.
    const from = (localAddress: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: "127.0.0.1", port: server.port, path: "/api/v1/cases?per_page=1", localAddress, headers, agent: false }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.on("error", reject);
        req.end();
      });
    try {
      const first: number[] = [];
      for (let i = 0; i < 4; i++) first.push(await from("127.0.0.2", { "x-forwarded-for": `203.0.113.${i}` }));
      expect(first).toEqual([200, 200, 200, 429]);
      expect(await from("127.0.0.3")).toBe(200);
      expect(await from("127.0.0.2")).toBe(429);
    } finally {
      await server.close();
      await limited.close();
    }
  });

  it("searches (page and API) share a tighter limit, told in the reader's language", async () => {
    const limited = await testWeb({ limits: { search: { limit: 2, windowMs: 60_000 } } });
    expect((await limited.app.request("/search?q=Bokayev")).status).toBe(302);
    expect((await limited.app.request("/api/v1/cases?q=Bokayev")).status).toBe(200);
    const page = await limited.app.request("/search?q=Khrapunov", { headers: { "accept-language": "ru" } });
    expect(page.status).toBe(429);
    expect(await page.text()).toContain("Слишком много запросов");
    // Browsing without a query is not a search.
    expect((await limited.app.request("/api/v1/cases")).status).toBe(200);
    await limited.close();
  });
});
