/**
 * Everything the bench must undo (child processes, the throwaway database, temporary files) is
 * registered here, and undone on a normal end, on a failure and on Ctrl-C / SIGTERM.
 */

type Task = { label: string; run: () => Promise<void> | void };

const tasks: Task[] = [];
let running: Promise<void> | undefined;

/** Registers an undo step; the returned function runs it now (once) and unregisters it. */
export function onCleanup(label: string, run: () => Promise<void> | void): () => Promise<void> {
  const task: Task = { label, run };
  tasks.push(task);
  return async () => {
    const index = tasks.indexOf(task);
    if (index === -1) return;
    tasks.splice(index, 1);
    await task.run();
  };
}

/** Runs every registered step, newest first; one failing step does not stop the others. */
export function cleanUpAll(): Promise<void> {
  running ??= (async () => {
    while (tasks.length > 0) {
      const task = tasks.pop() as Task;
      try {
        await task.run();
      } catch (error) {
        process.stderr.write(`bench: cleanup "${task.label}" failed: ${String(error)}\n`);
      }
    }
  })();
  return running;
}

/** On SIGINT/SIGTERM: clean up, then exit 130/143. A second signal exits at once. */
export function cleanUpOnSignals(): void {
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}: stopping children and dropping the bench database…\n`);
      process.once(signal, () => process.exit(code));
      cleanUpAll().finally(() => process.exit(code));
    });
  }
}
