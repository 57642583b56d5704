/**
 * A streaming multipart/form-data parser for the upload route (data.md §10.3), small because the
 * form is: a few short fields, then one file part. Pushed chunks come back as events; a file's
 * bytes pass through in pieces, holding back only what could be the start of the next delimiter,
 * so a 25 MiB upload never sits whole in memory. No dependency: none of the well-kept parsers was
 * installed, and this form needs a fraction of what they do.
 */

export type MultipartEvent =
  | { kind: "field"; name: string; value: string }
  | { kind: "file-start" }
  | { kind: "file-data"; data: Buffer }
  | { kind: "file-end" }
  | { kind: "extra-part" }
  | { kind: "end" };

export class MultipartError extends Error {}

const HEADER_END = Buffer.from("\r\n\r\n");
const MAX_HEADER_BYTES = 16 * 1024;

/** The boundary of a `multipart/form-data` Content-Type, or undefined when it is something else. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  const [type, ...params] = contentType.split(";");
  if (type?.trim().toLowerCase() !== "multipart/form-data") return undefined;
  for (const param of params) {
    const match = /^\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s";]{1,70}))\s*$/i.exec(param);
    if (match) return match[1] ?? match[2];
  }
  return undefined;
}

type State = "preamble" | "after-delimiter" | "headers" | "body" | "done";

export class MultipartParser {
  // A CRLF before the first delimiter lets one search find every delimiter, the first included.
  private buffer: Buffer = Buffer.from("\r\n");
  private state: State = "preamble";
  private readonly delimiter: Buffer;
  private part: { file: boolean; chunks: Buffer[]; size: number; name: string } | undefined;
  private fileSeen = false;

  constructor(
    boundary: string,
    private readonly maxFieldBytes = 16 * 1024,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  push(chunk: Buffer): MultipartEvent[] {
    const events: MultipartEvent[] = [];
    const part = this.part;
    if (
      this.state === "body" &&
      part &&
      this.buffer.length > 0 &&
      this.buffer.length < this.delimiter.length &&
      // The chunk must be long enough to finish any delimiter that starts in the tail.
      chunk.length >= this.delimiter.length - 1
    ) {
      // Mid-file, the held-back tail is short: a delimiter starting in it ends within the chunk's
      // first bytes. When none does, the tail is data and the chunk is scanned as it is, uncopied:
      // copying every chunk would double the garbage a large upload leaves for the collector.
      const joint = Buffer.concat([this.buffer, chunk.subarray(0, this.delimiter.length - 1)]);
      const at = joint.indexOf(this.delimiter);
      if (at < 0 || at >= this.buffer.length) {
        this.emitData(part, this.buffer, events);
        this.buffer = chunk;
        while (this.step(events)) {}
        return events;
      }
    }
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    while (this.step(events)) {}
    return events;
  }

  /** Throws when the body ended before the closing delimiter. */
  finish(): void {
    if (this.state !== "done") throw new MultipartError("the form ends before its closing boundary");
  }

  private step(events: MultipartEvent[]): boolean {
    switch (this.state) {
      case "preamble": {
        const at = this.buffer.indexOf(this.delimiter);
        if (at < 0) {
          if (this.buffer.length > MAX_HEADER_BYTES) throw new MultipartError("no opening boundary");
          return false;
        }
        this.buffer = this.buffer.subarray(at + this.delimiter.length);
        this.state = "after-delimiter";
        return true;
      }
      case "after-delimiter": {
        if (this.buffer.length < 2) return false;
        const mark = this.buffer.subarray(0, 2).toString("latin1");
        this.buffer = this.buffer.subarray(2);
        if (mark === "--") {
          this.state = "done";
          events.push({ kind: "end" });
          this.buffer = Buffer.alloc(0);
          return false;
        }
        if (mark !== "\r\n") throw new MultipartError("malformed boundary line");
        this.state = "headers";
        return true;
      }
      case "headers": {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length > MAX_HEADER_BYTES) throw new MultipartError("part headers too long");
          return false;
        }
        const name = partName(this.buffer.subarray(0, end).toString("utf8"));
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
        if (this.fileSeen) {
          // Anything after the file part makes the form wrong (§10.3 step 6): said once, then ignored.
          events.push({ kind: "extra-part" });
        }
        const file = name === "file" && !this.fileSeen;
        if (file) {
          this.fileSeen = true;
          events.push({ kind: "file-start" });
        }
        this.part = { file, chunks: [], size: 0, name };
        this.state = "body";
        return true;
      }
      case "body": {
        const part = this.part;
        if (!part) throw new Error("multipart body without a part");
        const at = this.buffer.indexOf(this.delimiter);
        const safe = at >= 0 ? at : this.buffer.length - (this.delimiter.length - 1);
        if (safe > 0) this.emitData(part, this.buffer.subarray(0, safe), events);
        if (at < 0) {
          if (safe > 0) this.buffer = Buffer.from(this.buffer.subarray(safe));
          return false;
        }
        this.buffer = this.buffer.subarray(at + this.delimiter.length);
        if (part.file) events.push({ kind: "file-end" });
        else if (!this.fileSeen || part.name !== "file")
          events.push({ kind: "field", name: part.name, value: Buffer.concat(part.chunks).toString("utf8") });
        this.part = undefined;
        this.state = "after-delimiter";
        return true;
      }
      case "done":
        this.buffer = Buffer.alloc(0);
        return false;
    }
  }

  private emitData(part: NonNullable<MultipartParser["part"]>, data: Buffer, events: MultipartEvent[]): void {
    if (part.file) {
      // No copy: the route handles each push's events before it pushes the next chunk.
      events.push({ kind: "file-data", data });
      return;
    }
    part.size += data.length;
    if (part.size > this.maxFieldBytes) throw new MultipartError(`form field ${part.name} too long`);
    part.chunks.push(Buffer.from(data));
  }
}

function partName(headers: string): string {
  for (const line of headers.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon < 0 || line.slice(0, colon).trim().toLowerCase() !== "content-disposition") continue;
    const match = /(?:^|;)\s*name\s*=\s*"([^"]*)"/i.exec(line.slice(colon + 1));
    if (match?.[1] !== undefined) return match[1];
  }
  throw new MultipartError("a part without a Content-Disposition name");
}
