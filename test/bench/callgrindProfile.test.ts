import { expect } from 'chai';
import { indexOfLeast, parseCallgrind, selfInstructions } from '../../bench/callgrindProfile.js';

// A dump as callgrind writes it with --dump-instr=no and compressed names and positions: `main` calls
// `rsaz_1024_sqr_avx2` twice (the inclusive cost of those calls follows each `calls=` line) and a JIT function.
const DUMP = `# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 4242
cmd:  node server.js
part: 1

desc: Trigger: Client Request: dump

positions: line
events: Ir
summary: 1000

ob=(1) /usr/bin/node
fl=(1) ???
fn=(1) main
0 100
+2 20
cfn=(2) rsaz_1024_sqr_avx2
calls=2 0
0 600
cfn=(3) 0x000000000d15aac0
calls=1 0
* 250
fn=(2)
0 600
fn=(3)
0 200
-1 50
fn=(4) v8::internal::compiler::GraphReducer::ReduceTop()
0 30

totals: 1000
`;

describe('parseCallgrind (the instruction counts of npm run bench:instructions)', () => {
  it('reads the summary as the count in all', () => {
    expect(parseCallgrind(DUMP).total).to.equal(1000);
  });

  it("counts each function's own instructions, leaving out the costs of the calls it makes", () => {
    const { selfByFunction } = parseCallgrind(DUMP);
    expect(selfByFunction.get('main')).to.equal(120);
    expect(selfByFunction.get('rsaz_1024_sqr_avx2')).to.equal(600);
    expect(selfByFunction.get('0x000000000d15aac0')).to.equal(250);
    expect(selfByFunction.get('v8::internal::compiler::GraphReducer::ReduceTop()')).to.equal(30);
  });

  it('sums the functions whose names match a pattern', () => {
    const profile = parseCallgrind(DUMP);
    expect(selfInstructions(profile, /^(rsaz_|bn_)/)).to.equal(600);
    expect(selfInstructions(profile, /v8::internal::compiler::/)).to.equal(30);
    expect(selfInstructions(profile, /^nothing$/)).to.equal(0);
  });

  it('refuses a file that is not a callgrind dump', () => {
    expect(() => parseCallgrind('hello\n')).to.throw(/not a callgrind dump/);
  });
});

describe('indexOfLeast (the window with the least compiling)', () => {
  // The same dump with the compiler's line changed, and a summary that is largest where the compiling is least, so
  // that choosing by the count in all would pick another window.
  const compiling = (instructions: number) =>
    parseCallgrind(DUMP.replace('0 30', `0 ${instructions}`).replace('summary: 1000', `summary: ${2000 - instructions}`));

  it("picks the window whose matching functions ran least, not the smallest in all, the first of equals", () => {
    const windows = [compiling(400), compiling(150), compiling(220), compiling(150)];
    expect(indexOfLeast(windows, /v8::internal::compiler::/)).to.equal(1);
    // The signature's arithmetic is the same in every window: by that pattern the first is as low as any.
    expect(indexOfLeast(windows, /^rsaz_/)).to.equal(0);
  });

  it('refuses to choose among no windows', () => {
    expect(() => indexOfLeast([], /anything/)).to.throw(/no profiles/);
  });
});
