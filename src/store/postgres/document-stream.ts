/**
 * A PostgreSQL document's bytes as one stream: `COPY (select its chunks in order) TO STDOUT
 * (FORMAT binary)` hands the bytes over as they come off the socket. The ordinary query path
 * cannot: node-postgres reads `bytea` as hex text (2 bytes of string per byte, then decoded), and
 * its binary mode turns every field into a UTF-8 string first, corrupting bytes. The COPY runs in
 * one statement, so it reads one snapshot: a document's chunks are all there or none.
 *
 * COPY holds its connection for the whole download and cannot share a pipelined one, so it takes
 * a client of its own pool (no pipeline), closed with the store.
 */
import { type Readable, Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";

/** PGCOPY\n\377\r\n\0: the signature of the binary COPY format. */
const SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);
/** Signature, flags (int32) and the header extension's length (int32). */
const HEADER_BYTES = SIGNATURE.length + 8;

/**
 * The field bytes of a binary COPY of one `bytea` column, concatenated: the rows' framing (field
 * count, length) is dropped and the data passed on as views of the socket's buffers, never copied.
 */
export class BinaryCopyField extends Transform {
  private pending = Buffer.alloc(0);
  private headerSeen = false;
  private extensionLeft = 0;
  /** Bytes of the current field still to pass on. */
  private fieldLeft = 0;
  private finished = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    try {
      while (data.length > 0 && !this.finished) {
        if (this.fieldLeft > 0) {
          const piece = data.subarray(0, this.fieldLeft);
          this.fieldLeft -= piece.length;
          this.push(piece);
          data = data.subarray(piece.length);
        } else if (this.extensionLeft > 0) {
          const skipped = Math.min(this.extensionLeft, data.length);
          this.extensionLeft -= skipped;
          data = data.subarray(skipped);
        } else if (!this.headerSeen) {
          if (data.length < HEADER_BYTES) break;
          if (!data.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error("not a binary COPY");
          this.extensionLeft = data.readUInt32BE(SIGNATURE.length + 4);
          this.headerSeen = true;
          data = data.subarray(HEADER_BYTES);
        } else {
          // A row: its field count (int16; -1 ends the data), then the one field's length (int32).
          if (data.length < 2) break;
          const fields = data.readInt16BE(0);
          if (fields === -1) {
            this.finished = true;
            break;
          }
          if (fields !== 1) throw new Error(`a binary COPY row of ${fields} fields, not 1`);
          if (data.length < 6) break;
          const length = data.readInt32BE(2);
          if (length < 0) throw new Error("a NULL chunk");
          this.fieldLeft = length;
          data = data.subarray(6);
        }
      }
    } catch (error) {
      done(error as Error);
      return;
    }
    // Only a header or a row's framing is ever left over: a few bytes.
    if (data.length > 0 && !this.finished) this.pending = Buffer.from(data);
    done();
  }

  override _flush(done: TransformCallback): void {
    done(this.finished ? null : new Error("the binary COPY ended early"));
  }
}

export interface DocumentStreams {
  /**
   * The document's bytes in order (none if it has no chunks). Resolves once a connection is held,
   * so a busy or unreachable database fails the request before its headers are sent.
   */
  open(documentId: string): Promise<Readable>;
  close(): Promise<void>;
}

/**
 * A download lasts as long as its client reads: the request timeouts of the main pool (8 s) would
 * cut a 25 MiB file to a slow phone. Ten minutes still frees a connection a stalled client holds.
 */
const DOWNLOAD_STATEMENT_TIMEOUT_MS = 10 * 60 * 1000;
/** Downloads streaming at once per process; the next waits for one to finish (up to the connect timeout). */
const DOWNLOAD_CONNECTIONS = 4;

export function createDocumentStreams(config: pg.PoolConfig): DocumentStreams {
  const pool = new pg.Pool({
    ...config,
    max: DOWNLOAD_CONNECTIONS,
    statement_timeout: DOWNLOAD_STATEMENT_TIMEOUT_MS,
  });
  // An idle client that loses its connection must not crash the process; its next use fails.
  pool.on("error", () => undefined);
  return {
    async open(documentId) {
      const client = await pool.connect();
      const bytes = new BinaryCopyField();
      const copy = client.query(
        copyTo(
          `copy (select bytes from document_chunk where document_id = ${client.escapeLiteral(documentId)} ` +
            "order by chunk_index) to stdout (format binary)",
        ),
      );
      pipeline(copy, bytes).then(
        () => client.release(),
        (error: unknown) => {
          // A download cut short leaves the COPY mid-stream: that connection cannot be reused.
          client.release(true);
          bytes.destroy(error as Error);
        },
      );
      return bytes;
    },
    close: () => pool.end(),
  };
}
