/**
 * `npm run test:stress [-- --commands 500 --members 100 --flood 300 --corpus DIR --cache DIR --json]`:
 * the load test (test/stress/burst.ts) with its figures printed. Exit code 1
 * when an interaction was not acknowledged within 3 s or a member who was
 * not flooding did not get a real answer.
 */
import { parseArgs } from 'node:util';
import { ACK_DEADLINE_MS, runStress, type BurstStats } from './burst.js';

const { values } = parseArgs({
  options: {
    commands: { type: 'string', default: '500' },
    members: { type: 'string', default: '100' },
    flood: { type: 'string', default: '300' },
    corpus: { type: 'string', default: 'corpus' },
    cache: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

const commands = Number(values.commands);
const members = Number(values.members);
const flood = Number(values.flood);
if (![commands, members, flood].every((n) => Number.isInteger(n) && n >= 0) || members < 1) {
  console.error('stress: --commands, --members and --flood take whole numbers (members at least 1)');
  process.exit(2);
}

const started = Date.now();
let report: Awaited<ReturnType<typeof runStress>>;
try {
  report = await runStress({ corpusDir: values.corpus, ...(values.cache ? { cacheDir: values.cache } : {}), commands, members, flood, onProgress: (line) => console.error(`stress: ${line}`) });
} catch (error) {
  console.error(`stress: could not run: ${(error as Error).message.split('\n')[0]}`);
  process.exit(1);
}

if (values.json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const ms = (v: number | null): string => (v === null ? '—' : `${Math.round(v)} ms`);
  const row = (label: string, s: BurstStats): string =>
    `| ${label} | ${s.sent} | ${s.acknowledgedWithin3s} | ${ms(s.ackP50)} / ${ms(s.ackP99)} | ${s.deferred} | ${s.answeredForReal} | ${ms(s.answerP50)} / ${ms(s.answerP99)} | ${Object.entries(s.other).map(([k, n]) => `${k} ${n}`).join(', ') || '—'} | ${Object.entries(s.lateByKind).map(([k, n]) => `${k} ${n}`).join(', ') || '—'} |`;
  const cpu = (total: number | null, n: number): string => (total === null ? 'bot CPU: not measured' : `bot CPU ${(total / 1000).toFixed(1)} s, ${(total / Math.max(1, n)).toFixed(1)} ms per interaction`);
  console.log(`corpus: ${report.corpus}; ${commands} mixed commands from ${members} members; flood: ${flood} more from one member (${Math.round((Date.now() - started) / 1000)} s in all)`);
  console.log(`machine: ${report.cores} cores, load average ${report.loadAverage.toFixed(1)} when the bursts started`);
  console.log(`first burst: ${cpu(report.burstCpuMs, report.burst.sent)}; with the flood: ${cpu(report.floodCpuMs, report.floodOthers.sent + report.flooder.sent)}\n`);
  console.log('| burst | sent | acked ≤ 3 s | ack p50 / p99 | deferred | answered for real | answer p50 / p99 | otherwise | late, by kind |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  console.log(row('mixed, many members', report.burst));
  console.log(row('same, while one member floods: the others', report.floodOthers));
  console.log(row('the flooding member', report.flooder));
}

const everyoneAcked = [report.burst, report.floodOthers, report.flooder].every((s) => s.acknowledgedWithin3s === s.sent);
const othersAnswered = report.burst.answeredForReal + (report.burst.other['no-choices'] ?? 0) === report.burst.sent && report.floodOthers.answeredForReal + (report.floodOthers.other['no-choices'] ?? 0) === report.floodOthers.sent;
if (!everyoneAcked || !othersAnswered) {
  console.error(`stress: FAILED — ${everyoneAcked ? '' : `an interaction was not acknowledged within ${ACK_DEADLINE_MS} ms; `}${othersAnswered ? '' : 'a member who was not flooding did not get a real answer'}`);
  process.exit(1);
}
process.exit(0);
