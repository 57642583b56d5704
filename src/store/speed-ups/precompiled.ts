/**
 * Queries that Kysely builds and compiles once per dialect and then runs with new arguments.
 * Building a query (creating and freezing its operation tree, visiting it into SQL) costs more
 * than SQLite takes to run the small statements of a request's hot path, and it is the same work
 * every time. Kysely's own recipe for this is to compile once and `executeQuery` the result; what
 * it leaves out is new arguments. Here each argument goes into the builder as a unique marker
 * string, is found again among the compiled parameters, and is replaced on every call.
 */
import type { Compilable, CompiledQuery, Kysely, QueryResult, RawBuilder } from "kysely";
import type { Database } from "../shared/schema.js";
import type { Dialect } from "../store.js";

type Slot = { argument: number } | { constant: unknown };

interface Template {
  compiled: CompiledQuery;
  slots: Slot[];
}

/** Unlikely in any real value: NUL never appears in Vetted's IDs, emails or times. */
const marker = (index: number) => `\u0000vetted-argument-${index}\u0000`;

export interface Precompiled<Args extends unknown[], Row> {
  /** The compiled query with these arguments, to run elsewhere (a pipelined batch). */
  compile(db: Kysely<Database>, dialect: Dialect, ...args: Args): CompiledQuery<Row>;
  run(db: Kysely<Database>, dialect: Dialect, ...args: Args): Promise<QueryResult<Row>>;
  /** The first row, or undefined. */
  first(db: Kysely<Database>, dialect: Dialect, ...args: Args): Promise<Row | undefined>;
}

/**
 * `build` must use each argument only as a value (a comparison, an inserted or updated value),
 * never to choose the query's shape; compiling checks that every argument became a parameter.
 */
export function precompiled<Args extends unknown[], Row>(
  arity: Args["length"],
  build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>,
): Precompiled<Args, Row> {
  const templates = new Map<Dialect, Template>();

  function templateFor(db: Kysely<Database>, dialect: Dialect): Template {
    let template = templates.get(dialect);
    if (template) return template;
    const markers = Array.from({ length: arity }, (_, i) => marker(i));
    const compiled = build(db, ...(markers as Args)).compile();
    const slots: Slot[] = compiled.parameters.map((value) => {
      const argument = typeof value === "string" ? markers.indexOf(value) : -1;
      return argument >= 0 ? { argument } : { constant: value };
    });
    for (let i = 0; i < arity; i++) {
      if (!slots.some((slot) => "argument" in slot && slot.argument === i))
        throw new Error(`precompiled query: argument ${i} is not a parameter of ${compiled.sql}`);
    }
    template = { compiled, slots };
    templates.set(dialect, template);
    return template;
  }

  function compile(db: Kysely<Database>, dialect: Dialect, ...args: Args): CompiledQuery<Row> {
    const { compiled, slots } = templateFor(db, dialect);
    const parameters = slots.map((slot) =>
      "argument" in slot ? (args[slot.argument] ?? null) : slot.constant,
    );
    return { ...compiled, parameters } as CompiledQuery<Row>;
  }

  async function run(db: Kysely<Database>, dialect: Dialect, ...args: Args): Promise<QueryResult<Row>> {
    return db.executeQuery<Row>(compile(db, dialect, ...args));
  }

  return {
    compile,
    run,
    async first(db, dialect, ...args) {
      return (await run(db, dialect, ...args)).rows[0];
    },
  };
}

/**
 * `precompiled` for a raw `sql` statement with many arguments, passed by name: `build` gets an
 * object of them, and so does every call.
 */
export function precompiledNamed<Name extends string, Row>(
  names: readonly Name[],
  build: (args: Record<Name, unknown>) => RawBuilder<Row>,
): { compile(db: Kysely<Database>, dialect: Dialect, args: Record<Name, unknown>): CompiledQuery<Row> } {
  const positional = precompiled<unknown[], Row>(names.length, (db, ...values) => {
    const raw = build(Object.fromEntries(names.map((name, i) => [name, values[i]])) as Record<Name, unknown>);
    return { compile: () => raw.compile(db) };
  });
  return {
    compile: (db, dialect, args) => positional.compile(db, dialect, ...names.map((name) => args[name])),
  };
}
