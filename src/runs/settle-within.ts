/** Waits for `promise` at most `ms`; past that, calls `onLate` and goes on (the promise is left to settle alone). True when it settled in time. */
export async function settleWithin(promise: Promise<unknown>, ms: number, onLate: () => void = () => {}): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(resolve, ms, 'late');
  });
  const outcome = await Promise.race([promise.then(() => 'done', () => 'done'), late]);
  clearTimeout(timer);
  if (outcome === 'late') onLate();
  return outcome === 'done';
}
