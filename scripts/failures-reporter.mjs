// A node:test reporter that writes only the failed tests, each with its file and error, once the
// run is over. scripts/run-tests.mjs prints what it wrote after everything else, so a failure is
// in the last lines of a long CI log (which may be all that is kept of it), not 20 minutes above.
import { inspect } from "node:util";

export default async function* failuresReporter(source) {
  const failures = [];
  // The names of the suites a test is in, by file, to name a failed test in full.
  const openSuites = new Map();
  for await (const event of source) {
    if (event.type === "test:start") {
      const names = openSuites.get(event.data.file) ?? [];
      names.length = event.data.nesting;
      names.push(event.data.name);
      openSuites.set(event.data.file, names);
    }
    if (event.type !== "test:fail") continue;
    const { file, nesting, details } = event.data;
    const suites = (openSuites.get(file) ?? []).slice(0, nesting);
    const name = [...suites, event.data.name].join(" › ");
    const error = details?.error;
    // A suite fails when one of its tests does; the test itself is listed already.
    if (error?.failureType === "subtestsFailed") continue;
    const cause = error?.cause ?? error;
    failures.push({ name, file, error: inspect(cause, { depth: 4 }) });
  }
  if (failures.length === 0) return;
  yield `${failures.length} failed:\n`;
  for (const failure of failures) {
    yield `\n✖ ${failure.name}\n  in ${failure.file ?? "(unknown file)"}\n`;
    yield `${failure.error.replace(/^/gm, "    ")}\n`;
  }
}
