/** Wall-clock time for call timers and time in state: one interval for the whole UI. */
export const clock = $state({ now: Date.now() });

/** Starts ticking once a second; returns the stop function (App calls it from an `$effect`). */
export function startClock(): () => void {
  clock.now = Date.now();
  const timer = setInterval(() => {
    clock.now = Date.now();
  }, 1000);
  return () => clearInterval(timer);
}
