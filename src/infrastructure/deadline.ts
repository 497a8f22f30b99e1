/**
 * What `work` settles to, or what `late()` gives if it has not settled within `ms`; the timer is cleared either
 * way, so it never holds the process. `work` goes on after a deadline (nothing here can stop it): only the wait ends.
 */
export const withinDeadline = <T, L>(work: Promise<T>, ms: number, late: () => L): Promise<T | L> => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<L>((resolve) => {
    timer = setTimeout(() => resolve(late()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
};
