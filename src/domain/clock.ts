/** Time comes from one injected clock so tests can move it; the app never calls Date.now directly. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
