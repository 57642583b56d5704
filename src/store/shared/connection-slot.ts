/**
 * A Kysely that stands for whichever connection is lent to it at the moment. The store's query
 * objects (the repository and the rest: 160 methods over one Kysely) cost far more to build
 * than a small write costs to run, and building them for every transaction's connection made
 * garbage collection a quarter of the SQLite writer thread's time (docs/performance.md,
 * "2026-12-05 (third): CPU per create"). Built once over a slot, they run on the connection of the
 * transaction that holds it.
 */
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

export interface ConnectionSlot {
  /** Forwards every property to the connection lent by the running `lend`; throws outside one. */
  readonly db: Kysely<Database>;
  /** Runs `work` with `connection` in the slot. One lend at a time: the caller serializes them. */
  lend<T>(connection: Kysely<Database>, work: () => Promise<T>): Promise<T>;
}

export function createConnectionSlot(): ConnectionSlot {
  let current: Kysely<Database> | undefined;
  // Methods bound to the current connection, so a query's builder is not re-bound on every call.
  let bound = new Map<PropertyKey, unknown>();
  const db = new Proxy({} as Kysely<Database>, {
    get(_target, property) {
      if (!current) throw new Error("no transaction holds this connection slot");
      let value = bound.get(property);
      if (value === undefined) {
        value = Reflect.get(current, property, current);
        if (typeof value === "function") value = value.bind(current);
        bound.set(property, value);
      }
      return value;
    },
  });
  return {
    db,
    async lend(connection, work) {
      if (current) throw new Error("the connection slot is already lent");
      current = connection;
      bound = new Map();
      try {
        return await work();
      } finally {
        current = undefined;
      }
    },
  };
}

/**
 * Query objects for transactions that run side by side (PostgreSQL's pool): one set per
 * transaction in flight, built the first time that many are in flight and reused after.
 */
export interface ReusedQueries<Tx> {
  /** Runs `work` with query objects lent `connection` until it settles. */
  on<T>(connection: Kysely<Database>, work: (tx: Tx) => Promise<T>): Promise<T>;
}

export function reusedQueries<Tx>(build: (db: Kysely<Database>) => Tx): ReusedQueries<Tx> {
  const free: { slot: ConnectionSlot; tx: Tx }[] = [];
  return {
    async on(connection, work) {
      const entry =
        free.pop() ??
        (() => {
          const slot = createConnectionSlot();
          return { slot, tx: build(slot.db) };
        })();
      try {
        return await entry.slot.lend(connection, () => work(entry.tx));
      } finally {
        free.push(entry);
      }
    },
  };
}
