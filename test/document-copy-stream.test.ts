/**
 * The parser of PostgreSQL's binary COPY format that PostgreSQL downloads stream through
 * (store/postgres/document-stream.ts): the field bytes come out whole and in order however the
 * socket splits the stream, and a stream that is not a binary COPY of one column, or ends early,
 * is an error rather than wrong bytes.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { BinaryCopyField } from "../src/store/postgres/document-stream.js";

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

function int16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeInt16BE(value);
  return b;
}
function int32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
}

/** A binary COPY of one bytea column holding `rows`, with a header extension of `extension` bytes. */
function copyOf(rows: Buffer[], extension = 0): Buffer {
  return Buffer.concat([
    SIGNATURE,
    int32(0),
    int32(extension),
    Buffer.alloc(extension, 7),
    ...rows.flatMap((row) => [int16(1), int32(row.length), row]),
    int16(-1),
  ]);
}

async function parse(pieces: Buffer[]): Promise<Buffer> {
  const parser = new BinaryCopyField();
  const out: Buffer[] = [];
  parser.on("data", (chunk: Buffer) => out.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    parser.on("end", resolve);
    parser.on("error", reject);
  });
  for (const piece of pieces) parser.write(piece);
  parser.end();
  await ended;
  return Buffer.concat(out);
}

describe("BinaryCopyField: binary COPY of one bytea column", () => {
  const rows = [randomBytes(40), randomBytes(1), randomBytes(0), randomBytes(25)];
  const stream = copyOf(rows, 3);

  it("passes the fields' bytes through in order, split at every offset", async () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      assert.deepEqual(
        await parse([stream.subarray(0, cut), stream.subarray(cut)]),
        Buffer.concat(rows),
        `cut ${cut}`,
      );
    }
  });

  it("and fed one byte at a time", async () => {
    const bytes = [...stream].map((byte) => Buffer.from([byte]));
    assert.deepEqual(await parse(bytes), Buffer.concat(rows));
  });

  it("no rows: no bytes", async () => {
    assert.equal((await parse([copyOf([])])).length, 0);
  });

  it("refuses what is not a binary COPY of one non-null column, and a stream that ends early", async () => {
    const twoFields = Buffer.concat([SIGNATURE, int32(0), int32(0), int16(2), int32(1), Buffer.from("a")]);
    const nullField = Buffer.concat([SIGNATURE, int32(0), int32(0), int16(1), int32(-1)]);
    const cases: [string, Buffer, RegExp][] = [
      ["text COPY", Buffer.from("\\\\x00ff\n"), /not a binary COPY|ended early/],
      ["two fields", twoFields, /2 fields/],
      ["a NULL", nullField, /NULL/],
      ["no trailer", stream.subarray(0, stream.length - 2), /ended early/],
    ];
    for (const [why, bytes, error] of cases) {
      await assert.rejects(parse([bytes]), error, why);
    }
  });
});
