import { expect } from 'chai';
import { sharedWhileRunning } from '../../src/infrastructure/clusterMetrics.js';

/** A run whose outcome the test decides, counting how often it was started. */
const controlledRun = () => {
  let started = 0;
  let settle: { resolve: (value: string) => void; reject: (error: Error) => void } | undefined;
  const run = (): Promise<string> => {
    started += 1;
    return new Promise<string>((resolve, reject) => {
      settle = { resolve, reject };
    });
  };
  return { run, started: () => started, settle: () => settle! };
};

describe('sharedWhileRunning (one cluster metrics aggregation at a time)', () => {
  it('gives calls that arrive during a run that run’s answer, and starts a new run after it ended', async () => {
    const control = controlledRun();
    const collect = sharedWhileRunning(control.run);
    const burst = [collect(), collect(), collect()];
    expect(control.started()).to.equal(1);
    control.settle().resolve('metrics 1');
    expect(await Promise.all(burst)).to.deep.equal(['metrics 1', 'metrics 1', 'metrics 1']);

    const later = collect();
    expect(control.started(), 'a call after the run ended is not answered from the old one').to.equal(2);
    control.settle().resolve('metrics 2');
    expect(await later).to.equal('metrics 2');
  });

  it('shares a failure with the calls that waited on it, then tries again', async () => {
    const control = controlledRun();
    const collect = sharedWhileRunning(control.run);
    const burst = [collect(), collect()];
    control.settle().reject(new Error('a worker did not answer'));
    const outcomes = await Promise.allSettled(burst);
    expect(outcomes.map((outcome) => outcome.status)).to.deep.equal(['rejected', 'rejected']);

    const retry = collect();
    expect(control.started()).to.equal(2);
    control.settle().resolve('metrics');
    expect(await retry).to.equal('metrics');
  });
});
