// `npm run trials -- [--trials N] [--fail-rate F] [--lose-rate L] [--two-every K] [--seed S]`: the
// outbox's process-level exactly-once trials (test/trials/outboxTrials.ts). Prints `trials: N`,
// `lost: N`, `duplicated: N` (and what went wrong); exits 1 when anything was lost or duplicated.
import { parseArgs } from 'node:util';
import { runTrials } from '../test/trials/outboxTrials';

const { values } = parseArgs({
  options: {
    trials: { type: 'string', default: '30' },
    'fail-rate': { type: 'string', default: '0.1' },
    'lose-rate': { type: 'string', default: '0.1' },
    'two-every': { type: 'string', default: '5' },
    seed: { type: 'string', default: '20261201' },
    'max-kill-ms': { type: 'string', default: '400' },
    verbose: { type: 'boolean', default: false },
  },
});
const started = Date.now();
const report = await runTrials({
  trials: Number(values.trials),
  failRate: Number(values['fail-rate']),
  loseRate: Number(values['lose-rate']),
  twoInstanceEvery: Number(values['two-every']),
  seed: Number(values.seed),
  maxKillMs: Number(values['max-kill-ms']),
  ...(values.verbose ? { log: (line: string) => process.stderr.write(`${line}\n`) } : {}),
});
process.stdout.write(
  [
    `trials: ${report.trials}`,
    `lost: ${report.lost}`,
    `duplicated: ${report.duplicated}`,
    `killed: ${report.kills}`,
    `killed with a request on the wire: ${report.killedMidSend}`,
    `second instance refused: ${report.refusedSecond}`,
    `duration: ${((Date.now() - started) / 1000).toFixed(1)} s`,
    ...report.problems.map((p) => `problem: ${p}`),
  ].join('\n') + '\n',
);
process.exit(report.lost || report.duplicated ? 1 : 0);
