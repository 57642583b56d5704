/** The upload route's streaming multipart parser, fed the same form split at every kind of point. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  MultipartError,
  type MultipartEvent,
  MultipartParser,
  multipartBoundary,
} from "../src/documents/multipart.js";

const BOUNDARY = "----vetted0123";

function form(file: Buffer, after = ""): Buffer {
  const head =
    `--${BOUNDARY}\r\ncontent-disposition: form-data; name="key"\r\n\r\nsr_1/d_1.pdf\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="policy"\r\n\r\nabc=\r\n` +
    `--${BOUNDARY}\r\ncontent-disposition: form-data; name="file"; filename="x.pdf"\r\ncontent-type: application/pdf\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${BOUNDARY}${after}--\r\n`)]);
}

/** Feeds the body in pieces of the given sizes (cycled) and gathers fields, the file and markers. */
function parse(body: Buffer, sizes: number[]) {
  const parser = new MultipartParser(BOUNDARY);
  const events: MultipartEvent[] = [];
  let at = 0;
  for (let i = 0; at < body.length; i += 1) {
    const size = sizes[i % sizes.length] ?? 1;
    events.push(...parser.push(Buffer.from(body.subarray(at, at + size))));
    at += size;
  }
  parser.finish();
  const fields = events.flatMap((e) => (e.kind === "field" ? [[e.name, e.value]] : []));
  const file = Buffer.concat(events.flatMap((e) => (e.kind === "file-data" ? [e.data] : [])));
  return { fields, file, kinds: events.map((e) => e.kind).filter((k) => k !== "file-data") };
}

describe("multipart parser", () => {
  // A file full of near-delimiters: CRLF, dashes and the boundary's prefix.
  const file = Buffer.concat([
    Buffer.from("%PDF-\r\n--"),
    Buffer.from(`\r\n--${BOUNDARY.slice(0, -1)}X`),
    Buffer.alloc(5000, 0x2d),
    Buffer.from("\r\n\r\n--\r"),
  ]);

  for (const sizes of [[1], [2, 3], [7], [64], [4096, 1, 13], [1 << 20]]) {
    it(`gives the same fields and file bytes in pieces of ${sizes.join("/")}`, () => {
      const { fields, file: got, kinds } = parse(form(file), sizes);
      assert.deepEqual(fields, [
        ["key", "sr_1/d_1.pdf"],
        ["policy", "abc="],
      ]);
      assert.ok(got.equals(file));
      assert.deepEqual(kinds, ["field", "field", "file-start", "file-end", "end"]);
    });
  }

  it("reports a part after the file", () => {
    const body = Buffer.concat([
      form(Buffer.from("%PDF-x")).subarray(0, -4),
      Buffer.from(`\r\ncontent-disposition: form-data; name="acl"\r\n\r\nprivate\r\n--${BOUNDARY}--\r\n`),
    ]);
    assert.ok(parse(body, [3]).kinds.includes("extra-part"));
  });

  it("refuses a truncated form and a part without a name", () => {
    const body = form(Buffer.from("%PDF-x"));
    assert.throws(() => parse(body.subarray(0, body.length - 10), [5]), MultipartError);
    const nameless = Buffer.from(`--${BOUNDARY}\r\ncontent-type: text/plain\r\n\r\nx\r\n--${BOUNDARY}--\r\n`);
    assert.throws(() => parse(nameless, [5]), MultipartError);
  });

  it("reads the boundary of multipart/form-data only", () => {
    assert.equal(multipartBoundary(`multipart/form-data; boundary=${BOUNDARY}`), BOUNDARY);
    assert.equal(multipartBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b"'), "a b");
    assert.equal(multipartBoundary("multipart/mixed; boundary=x"), undefined);
    assert.equal(multipartBoundary("multipart/form-data"), undefined);
    assert.equal(multipartBoundary(undefined), undefined);
  });
});
