/**
 * Runs `task` on the next timer tick after a call, then at most once every `everyMs` while calls keep coming: the calls
 * in between fold into the next run, so a run always follows the last call. A function `everyMs` is asked after each run.
 */
export function throttle(task: () => void, everyMs: number | (() => number)): { call(): void; cancel(): void } {
  const period = typeof everyMs === 'number' ? () => everyMs : everyMs;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let ranAt = -Infinity;
  return {
    call() {
      if (timer) return;
      timer = setTimeout(
        () => {
          timer = null;
          ranAt = performance.now();
          task();
        },
        Math.max(0, ranAt + period() - performance.now()),
      );
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
