/**
 * One scrape of `/metrics` shows the whole server when `vetted serve --workers N` runs N
 * processes: whichever worker the scrape reaches asks the primary, the primary asks every worker
 * for its registry (as JSON, over the cluster's IPC channel), adds them up with prom-client's
 * `AggregatorRegistry.aggregate` (each metric's `aggregator`: counters and histograms summed) and
 * sends the text back to the asking worker.
 *
 * The IPC is ours rather than `AggregatorRegistry.clusterMetrics()`, because that one fails the
 * whole scrape when one worker is slow. Here a worker that does not answer within
 * PRIMARY_WAIT_MS is left out: the scrape is partial, and says so —
 * `vetted_metrics_workers{state="running"}` is the number of workers asked,
 * `vetted_metrics_workers{state="reported"}` the number that answered (docs/decisions.md).
 * If the primary itself does not answer within WORKER_WAIT_MS, the scrape fails (503): nothing
 * waits forever.
 */
import cluster, { type Worker } from "node:cluster";
import { AggregatorRegistry, Gauge, type Registry } from "prom-client";

/** One registry as JSON, as `getMetricsAsJSON` gives it and `aggregate` takes it. */
type RegistryJson = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>;

/** How long the primary waits for the workers' registries before answering with those it has. */
export const PRIMARY_WAIT_MS = 2_000;
/** How long a worker waits for the primary's answer; longer than the primary's own wait. */
export const WORKER_WAIT_MS = 5_000;

const SCRAPE = "vetted:metrics-scrape"; // worker → primary: a scrape arrived
const COLLECT = "vetted:metrics-collect"; // primary → every worker: send your registry
const REPORT = "vetted:metrics-report"; // worker → primary: my registry as JSON
const RESULT = "vetted:metrics-result"; // primary → the asking worker: the aggregated text

interface Message {
  type: string;
  id: number;
  metrics?: RegistryJson;
  text?: string;
  /** Set instead of `metrics` or `text` when the sender could not produce them. */
  error?: string;
}

function isMessage(value: unknown, type: string): value is Message {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Message).type === type &&
    typeof (value as Message).id === "number"
  );
}

/** Primary: answers the workers' scrapes. Call once, before forking. */
export function serveWorkerScrapes(): void {
  let nextId = 1;
  const collecting = new Map<number, (worker: Worker, metrics: RegistryJson | undefined) => void>();
  cluster.on("message", (worker, message: unknown) => {
    // A report for a scrape already answered (a worker that was slow) finds nothing and is dropped.
    if (isMessage(message, REPORT)) collecting.get(message.id)?.(worker, message.metrics);
    else if (isMessage(message, SCRAPE)) {
      // The primary must outlive any scrape: a failure is the asking worker's 503, not a crash.
      collect(worker, message.id).catch((error: unknown) => {
        const failed: Message = { type: RESULT, id: message.id, error: String(error) };
        if (worker.isConnected()) worker.send(failed);
      });
    }
  });

  async function collect(asker: Worker, askerId: number): Promise<void> {
    const id = nextId++;
    const workers = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w?.isConnected() === true,
    );
    const reports = new Map<number, RegistryJson>();
    const answered = new Set<number>();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, PRIMARY_WAIT_MS);
      collecting.set(id, (worker, metrics) => {
        answered.add(worker.id);
        if (metrics) reports.set(worker.id, metrics);
        if (answered.size >= workers.length) {
          clearTimeout(timer);
          resolve();
        }
      });
      for (const worker of workers) worker.send({ type: COLLECT, id } satisfies Message);
    });
    collecting.delete(id);
    const registry = AggregatorRegistry.aggregate([...reports.values()]);
    const coverage = new Gauge({
      name: "vetted_metrics_workers",
      help: "Workers asked for this scrape (running) and those that answered in time (reported)",
      labelNames: ["state"] as const,
      registers: [registry],
    });
    coverage.set({ state: "running" }, workers.length);
    coverage.set({ state: "reported" }, reports.size);
    const text = await registry.metrics();
    if (asker.isConnected()) asker.send({ type: RESULT, id: askerId, text } satisfies Message);
  }
}

/**
 * Worker: answers the primary's requests for this registry, and returns the scrape function of
 * this worker's `/metrics` (rejects when the primary does not answer in time) and its disposer.
 */
export function scrapeThroughPrimary(registry: Registry): { scrape(): Promise<string>; stop(): void } {
  let nextId = 1;
  const waiting = new Map<number, (result: Message) => void>();
  const reply = (message: Message) => {
    if (process.connected) process.send?.(message);
  };
  const onMessage = (message: unknown) => {
    if (isMessage(message, COLLECT)) {
      registry.getMetricsAsJSON().then(
        (metrics) => reply({ type: REPORT, id: message.id, metrics }),
        // Said at once, so the primary need not wait its bound for this worker.
        (error: unknown) => reply({ type: REPORT, id: message.id, error: String(error) }),
      );
    } else if (isMessage(message, RESULT)) {
      waiting.get(message.id)?.(message);
    }
  };
  process.on("message", onMessage);
  return {
    scrape() {
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error("the primary process did not answer the metrics scrape in time"));
        }, WORKER_WAIT_MS);
        waiting.set(id, (result) => {
          clearTimeout(timer);
          waiting.delete(id);
          if (result.error !== undefined)
            reject(new Error(`the metrics could not be gathered: ${result.error}`));
          else resolve(result.text ?? "");
        });
        process.send?.({ type: SCRAPE, id } satisfies Message);
      });
    },
    stop() {
      process.off("message", onMessage);
    },
  };
}
