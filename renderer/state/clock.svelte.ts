/** Wall-clock time for call timers and time in state: one interval for the whole UI. */
export const clock = $state({ now: Date.now() });

/**
 * Ticks once a second while the window is visible; returns the stop function (App calls it from an
 * `$effect`). A hidden or minimised window shows nothing, so it does not tick at all (issue 16:
 * dozens of sessions share a VDI host) and catches up at once when shown again.
 */
export function startClock(): () => void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const tick = () => {
    clock.now = Date.now();
  };
  const follow = () => {
    if (document.hidden) {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      return;
    }
    tick();
    timer ??= setInterval(tick, 1000);
  };
  follow();
  document.addEventListener('visibilitychange', follow);
  return () => {
    document.removeEventListener('visibilitychange', follow);
    if (timer !== undefined) clearInterval(timer);
  };
}
