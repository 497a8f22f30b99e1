/** The value of one sample line of a Prometheus exposition (`series` with its labels), or undefined when absent. */
export const sample = (exposition: string, series: string): number | undefined => {
  const line = exposition.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};
