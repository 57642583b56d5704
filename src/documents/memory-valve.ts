/**
 * Streams of document bytes leave their buffers to the GC: every socket read and every file read
 * is a fresh buffer outside V8's heap, and V8 collects those only once tens of MiB have piled up
 * (its external-memory heuristic), so a 25 MiB transfer showed as 25–60 MiB of resident memory.
 * `releaseAfter(bytes)`, called as bytes flow, runs a minor GC (a scavenge of the young generation,
 * about a millisecond) every RELEASE_EVERY bytes, freeing the buffers that died since: a
 * transfer's garbage stays under a few MiB, whatever its size.
 */
import { pipeline, type Readable, Transform } from "node:stream";
import v8 from "node:v8";
import vm from "node:vm";

const RELEASE_EVERY = 1024 * 1024;

type Collect = (options: { type: "minor" | "major"; execution?: "sync" | "async" }) => void;

/**
 * V8 gives `gc` only to contexts created while --expose-gc is set: the flag set here reaches the
 * context made below, never the application's own global object (a worker thread started later
 * gets a `gc` global it does not use). Without it (a runtime that refuses the flag) the valve is
 * simply off.
 */
function minorCollector(): Collect | undefined {
  try {
    v8.setFlagsFromString("--expose-gc");
    return vm.runInNewContext("gc") as Collect;
  } catch {
    return undefined;
  }
}

const collect = minorCollector();
let sinceRelease = 0;

export function releaseAfter(bytes: number): void {
  sinceRelease += bytes;
  if (sinceRelease < RELEASE_EVERY) return;
  sinceRelease = 0;
  collect?.({ type: "minor" });
}

/** The same bytes, counted for the valve as they pass; an error of `source` ends the result too. */
export function releasing(source: Readable): Readable {
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      releaseAfter(chunk.length);
      done(null, chunk);
    },
  });
  pipeline(source, counted, () => undefined);
  return counted;
}
