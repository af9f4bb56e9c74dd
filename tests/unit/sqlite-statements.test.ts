import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { type DB, openSqlite } from "../../src/store/db.js";

/**
 * SQLite statements are prepared once per query text and used again: a query run again must still
 * see its own parameters, a changed schema and a rolled-back transaction, as if prepared anew.
 */
describe("SQLite statements used again", () => {
  let db: DB | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  it("the same query with other parameters, after a column was added and after a table was made anew", async () => {
    db = openSqlite(":memory:");
    await sql`create table t (id integer primary key, name text)`.execute(db);
    const insert = (id: number, name: string) => sql`insert into t (id, name) values (${id}, ${name})`.execute(db!);
    const one = (id: number) => sql<Record<string, unknown>>`select * from t where id = ${id}`.execute(db!).then((r) => r.rows);
    await insert(1, "Бокаев");
    await insert(2, "Аян");
    expect(await one(1)).toEqual([{ id: 1, name: "Бокаев" }]);
    expect(await one(2)).toEqual([{ id: 2, name: "Аян" }]);
    await sql`alter table t add column city text`.execute(db);
    expect(await one(1)).toEqual([{ id: 1, name: "Бокаев", city: null }]);
    await sql`drop table t`.execute(db);
    await sql`create table t (id integer primary key, slug text)`.execute(db);
    await sql`insert into t (id, slug) values (1, 'maks-bokayev')`.execute(db);
    expect(await one(1)).toEqual([{ id: 1, slug: "maks-bokayev" }]);
  });

  it("a write rolled back with its transaction is gone, and the same write done again stays", async () => {
    db = openSqlite(":memory:");
    await sql`create table t (id integer primary key, n integer)`.execute(db);
    const count = async () => Number((await sql<{ c: number }>`select count(*) as c from t`.execute(db!)).rows[0]!.c);
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`insert into t (n) values (${1})`.execute(trx);
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect(await count()).toBe(0);
    await db.transaction().execute(async (trx) => {
      await sql`insert into t (n) values (${1})`.execute(trx);
    });
    expect(await count()).toBe(1);
  });

  it("many different query texts: each still answers correctly once older statements were let go", async () => {
    db = openSqlite(":memory:");
    await sql`create table t (id integer primary key)`.execute(db);
    for (let i = 0; i < 300; i++) await sql`insert into t (id) values (${i})`.execute(db);
    // A different text for each length of the list: more texts than statements kept, then the first again.
    for (const n of [...Array.from({ length: 300 }, (_, k) => k + 1), 1, 150]) {
      const ids = Array.from({ length: n }, (_, k) => k);
      const r = await sql<{ c: number }>`select count(*) as c from t where id in (${sql.join(ids)})`.execute(db);
      expect(Number(r.rows[0]!.c)).toBe(n);
    }
  });
});
