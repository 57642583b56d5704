/** A first-come, first-served lock for async work on one thread. */
export interface AsyncLock {
  /** Resolves with a release function once the lock is held. */
  acquire(): Promise<() => void>;
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function createAsyncLock(): AsyncLock {
  let tail: Promise<void> = Promise.resolve();
  const acquire = (): Promise<() => void> => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const granted = tail.then(() => release);
    tail = tail.then(() => released);
    return granted;
  };
  return {
    acquire,
    async run(work) {
      const release = await acquire();
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
