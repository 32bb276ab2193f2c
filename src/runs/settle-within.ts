/** Waits for `promise` at most `ms`; past that, calls `onLate` and goes on (the promise is left to settle alone). */
export async function settleWithin(promise: Promise<unknown>, ms: number, onLate: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(resolve, ms, 'late');
  });
  const outcome = await Promise.race([promise.then(() => 'done', () => 'done'), late]);
  clearTimeout(timer);
  if (outcome === 'late') onLate();
}
