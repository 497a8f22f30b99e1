/**
 * Reads a callgrind dump (`--dump-instr=no`, one event: Ir): the instructions counted in all, and each function's
 * own ("self") instructions, so that a count can be split into named groups of functions.
 */
export interface CallgrindProfile {
  readonly total: number;
  /** Instructions executed in each function's own code, callees excluded, by function name. */
  readonly selfByFunction: ReadonlyMap<string, number>;
}

// `fn=(7) name` names function 7 the first time it appears; later `fn=(7)` alone refers to it.
const NAMED = /^c?fn=\((\d+)\)(?: (.*))?$/;

export const parseCallgrind = (text: string): CallgrindProfile => {
  const names = new Map<string, string>();
  const self = new Map<string, number>();
  let total: number | undefined;
  let current: string | undefined;
  let afterCall = false;
  for (const line of text.split('\n')) {
    const named = NAMED.exec(line);
    if (named !== null) {
      if (named[2] !== undefined) names.set(named[1]!, named[2]);
      if (line.startsWith('fn=')) current = named[1];
      continue;
    }
    if (line.startsWith('calls=')) {
      // The cost line after a call is the callee's inclusive cost, already counted in the callee's own lines.
      afterCall = true;
      continue;
    }
    const summary = /^(?:summary|totals): (\d+)/.exec(line);
    if (summary !== null) {
      total ??= Number(summary[1]);
      continue;
    }
    if (!/^[\d+*-]/.test(line)) continue;
    if (afterCall) {
      afterCall = false;
      continue;
    }
    const cost = Number(line.split(' ')[1]);
    if (current !== undefined && Number.isFinite(cost)) self.set(current, (self.get(current) ?? 0) + cost);
  }
  if (total === undefined) throw new Error('not a callgrind dump: no summary line');
  const selfByFunction = new Map<string, number>();
  for (const [id, cost] of self) {
    const name = names.get(id) ?? `(${id})`;
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + cost);
  }
  return { total, selfByFunction };
};

/** The self instructions of every function whose name matches `pattern`, together. */
export const selfInstructions = (profile: CallgrindProfile, pattern: RegExp): number => {
  let sum = 0;
  for (const [name, cost] of profile.selfByFunction) if (pattern.test(name)) sum += cost;
  return sum;
};

/** Of profiles of the same work, the index of the one whose functions matching `pattern` ran least (the first such). */
export const indexOfLeast = (profiles: readonly CallgrindProfile[], pattern: RegExp): number => {
  if (profiles.length === 0) throw new Error('no profiles to choose from');
  const costs = profiles.map((profile) => selfInstructions(profile, pattern));
  return costs.indexOf(Math.min(...costs));
};
