// Command line of the local server (`npm run local-server -- …`): parses flags, starts the server, prints
// SERVER_ADDRESS and API_TOKEN on stdout, logs requests on stderr, closes cleanly on SIGTERM/SIGINT.
import { parseArgs } from 'node:util';
import { startLocalServer, type LocalServerOptions, type World } from './index';
import { checkQuirks, type Quirks } from './quirks';

const WORLDS: World[] = ['demo', 'empty', 'team'];

const USAGE = `Usage: npm run local-server -- [--port N] [--data FILE] [--token T] [--world demo|empty|team] [--jobs N]
                            [--simulate] [--simulate-interval MS] [--fail-rate R] [--lose-rate R] [--latency MS] [--quiet]
  --port N               port on 127.0.0.1 (default 0 = any free port)
  --data FILE            SQLite data file (default: a new file in the temp folder)
  --token T              admin API token (default: random, kept in the data file)
  --world demo|empty|team  world for a new data file (default demo; --seed is its older name); team: a real-looking
                         team world (several teams, every project type, millions of formula images, 100,000 jobs)
  --jobs N               demo/empty: add N realistic jobs when seeding; team: the world's number of jobs
  --simulate             annotators move jobs through their statuses
  --simulate-interval MS pace of the simulation (default 5000)
  --fail-rate R          fraction 0..1 of API calls answered with 5xx/429 or a dropped connection
  --lose-rate R          fraction 0..1 of API calls applied, then answered by a dropped connection
  --latency MS           delay every answer by MS milliseconds
  --quiet                do not log requests on stderr
Quirks of real servers, each on its own:
  --updated-at-filter rejected|ignored  jobs.list filters on updatedAt: a 400, or dropped silently
  --https-redirect       the port answers 308 to a second, TLS listener (self-signed loopback certificate)
  --rate-limit N/MS      at most N API calls per token every MS milliseconds; then 429 with Retry-After
  --max-in-flight N      at most N API calls in flight at once (latency included); more get 429 with Retry-After: 1
  --forbid-list METHOD   this list method (e.g. members.list) answers 403
  --refuse-images-list TYPE  images.list answers 400 for projects of this type (e.g. videos)
  --page-latency MS      every page of a list method waits MS milliseconds
  --clock-offset-hours H the server's clock runs H hours off (Date header and timestamps)`;

function fail(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}\n`);
  process.exit(2);
}

function number(value: string | undefined, flag: string, check: (n: number) => boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!value.trim() || !Number.isFinite(n) || !check(n)) fail(`Invalid value for ${flag}: ${value}`);
  return n;
}

function parseOptions(argv: string[]): LocalServerOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        token: { type: 'string' },
        seed: { type: 'string' },
        world: { type: 'string' },
        jobs: { type: 'string' },
        simulate: { type: 'boolean' },
        'simulate-interval': { type: 'string' },
        'fail-rate': { type: 'string' },
        'lose-rate': { type: 'string' },
        latency: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean' },
        'updated-at-filter': { type: 'string' },
        'https-redirect': { type: 'boolean' },
        'rate-limit': { type: 'string' },
        'max-in-flight': { type: 'string' },
        'forbid-list': { type: 'string' },
        'refuse-images-list': { type: 'string' },
        'page-latency': { type: 'string' },
        'clock-offset-hours': { type: 'string' },
      },
    });
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  for (const flag of ['seed', 'world'] as const) {
    const value = v[flag];
    if (value !== undefined && !WORLDS.includes(value as World))
      fail(`Invalid value for --${flag}: ${value} (one of ${WORLDS.join(', ')})`);
  }
  if (v.token !== undefined && !v.token.trim()) fail('--token must not be empty');
  const interval = number(v['simulate-interval'], '--simulate-interval', (n) => n >= 5);
  const updatedAt = v['updated-at-filter'];
  if (updatedAt !== undefined && updatedAt !== 'rejected' && updatedAt !== 'ignored')
    fail(`Invalid value for --updated-at-filter: ${updatedAt}`);
  const rate = v['rate-limit'] === undefined ? undefined : /^(\d+)\/(\d+)$/.exec(v['rate-limit']);
  if (rate === null) fail(`Invalid value for --rate-limit: ${v['rate-limit']} (N/MS, e.g. 20/1000)`);
  const quirks: Quirks = {
    updatedAtFilter: updatedAt,
    httpsRedirect: v['https-redirect'],
    rateLimit: rate ? { requests: Number(rate[1]), windowMs: Number(rate[2]) } : undefined,
    maxInFlight: number(v['max-in-flight'], '--max-in-flight', (n) => Number.isInteger(n) && n > 0),
    forbiddenList: v['forbid-list'],
    imagesListRefusedFor: v['refuse-images-list'],
    pageLatencyMs: number(v['page-latency'], '--page-latency', (n) => n >= 0),
    clockOffsetHours: number(v['clock-offset-hours'], '--clock-offset-hours', () => true),
  };
  try {
    checkQuirks(quirks);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  return {
    port: number(v.port, '--port', (n) => Number.isInteger(n) && n >= 0 && n <= 65535),
    dataFile: v.data,
    token: v.token,
    world: v.world as World | undefined,
    seed: v.seed as World | undefined,
    jobs: number(v.jobs, '--jobs', (n) => Number.isInteger(n) && n >= 0),
    simulate: v.simulate || interval !== undefined ? { intervalMs: interval } : false,
    failRate: number(v['fail-rate'], '--fail-rate', (n) => n >= 0 && n <= 1),
    loseRate: number(v['lose-rate'], '--lose-rate', (n) => n >= 0 && n <= 1),
    latencyMs: number(v.latency, '--latency', (n) => n >= 0),
    log: v.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
    quirks,
  };
}

const options = parseOptions(process.argv.slice(2));
const localServer = await startLocalServer(options).catch((err: unknown) => {
  process.stderr.write(`Could not start the local server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
process.stdout.write(`SERVER_ADDRESS=${localServer.url}\nAPI_TOKEN=${localServer.adminToken}\n`);
process.stderr.write(`localServer data file: ${localServer.dataFile}\n`);
if (localServer.httpsUrl) process.stderr.write(`https listener (self-signed loopback certificate): ${localServer.httpsUrl}\n`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${signal}: closing the local server\n`);
  localServer.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
