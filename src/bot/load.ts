/**
 * Answering under load: a per-member cooldown, a fair queue for the work
 * commands do on the event loop, and a measure of what each command costs,
 * so the interaction handler knows when an answer may not reach Discord
 * within its 3 seconds and must be acknowledged (deferred) first.
 *
 * - Cooldown (`MemberCooldown`): a token bucket per member. Commands and
 *   buttons: 10 at once, then 4 a second (COMMAND_COOLDOWN); autocomplete,
 *   which Discord sends as the member types: 25 at once, then 10 a second
 *   (AUTOCOMPLETE_COOLDOWN). A member over it is told to slow down (or gets
 *   no choices), cheaply, and the work is not done.
 * - Fair queue (`FairQueue`): engine work is synchronous, so jobs run one at a
 *   time, taken round-robin across members (one member's backlog cannot hold
 *   up the others), and the event loop is given back between two jobs so
 *   answers already made go out and new interactions come in.
 * - Cost (`CostMeter`): how long each kind of job held the event loop, as a
 *   moving average; the queue adds up what is waiting ahead of a new job.
 */

/** A token bucket's size and refill. */
export interface CooldownLimits {
  /** How many may be sent at once. */
  burst: number;
  /** How many more are allowed each second after that. */
  perSecond: number;
}

/** Slash commands, context menus and buttons: 10 at once, then 4 a second, per member. */
export const COMMAND_COOLDOWN: CooldownLimits = { burst: 10, perSecond: 4 };
/** Autocomplete (a request per keystroke): 25 at once, then 10 a second, per member. */
export const AUTOCOMPLETE_COOLDOWN: CooldownLimits = { burst: 25, perSecond: 10 };

/** Buckets kept before full (idle) ones are forgotten. */
const MAX_TRACKED_MEMBERS = 10_000;

/** A token bucket per member. */
export class MemberCooldown {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly limits: CooldownLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `memberId`; false when the member is over the limit. */
  take(memberId: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(memberId) ?? { tokens: this.limits.burst, at: now };
    bucket.tokens = Math.min(this.limits.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.limits.perSecond);
    bucket.at = now;
    if (!this.buckets.has(memberId)) {
      if (this.buckets.size >= MAX_TRACKED_MEMBERS) this.forgetIdle(now);
      this.buckets.set(memberId, bucket);
    }
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Milliseconds until `memberId` may send again (0 when it may now). */
  waitMs(memberId: string): number {
    const bucket = this.buckets.get(memberId);
    if (!bucket) return 0;
    const tokens = bucket.tokens + ((this.now() - bucket.at) / 1000) * this.limits.perSecond;
    return tokens >= 1 ? 0 : Math.ceil(((1 - tokens) / this.limits.perSecond) * 1000);
  }

  private forgetIdle(now: number): void {
    for (const [id, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * this.limits.perSecond >= this.limits.burst) this.buckets.delete(id);
    }
  }
}

/** What a job is assumed to cost before it has been measured (ms of event-loop time). */
export const DEFAULT_COST_MS = 25;
/** Weight of the newest measurement in the moving average. */
const COST_SMOOTHING = 0.2;

/** How long each kind of job holds the event loop: an exponential moving average per key, never below the last worst case halved. */
export class CostMeter {
  private readonly costs = new Map<string, { average: number; worst: number }>();

  estimate(key: string): number {
    const cost = this.costs.get(key);
    return cost ? Math.max(cost.average, cost.worst / 2) : DEFAULT_COST_MS;
  }

  record(key: string, ms: number): void {
    const cost = this.costs.get(key);
    if (!cost) {
      this.costs.set(key, { average: ms, worst: ms });
      return;
    }
    cost.average += (ms - cost.average) * COST_SMOOTHING;
    // The worst case fades so one slow run (a cold cache) does not defer that command for ever.
    cost.worst = Math.max(ms, cost.worst * 0.9);
  }
}

interface QueuedJob {
  key: string;
  /** Awaited just before the job runs (the interaction's acknowledgement, when one is on its way). */
  gate?: () => Promise<void>;
  run: () => Promise<void>;
  done: (error?: unknown) => void;
}

/** Yields to the event loop (after I/O), so answers go out and new interactions come in between two jobs. */
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs jobs one at a time, round-robin across members. A job's synchronous
 * part (the engine call) is timed into the CostMeter; its asynchronous rest
 * (sending the answer) goes on while the next job runs.
 */
export class FairQueue {
  private readonly byMember = new Map<string, QueuedJob[]>();
  private pendingCost = 0;
  private running = false;
  /**
   * Milliseconds from one job's start to the next while jobs are waiting: what a
   * job really costs the event loop under load, with sending answers, reading
   * the gateway and garbage collection included (a moving average).
   */
  private serviceMs = 0;
  private lastStart: number | null = null;

  /**
   * `beforeJob`, when given, is awaited before each job starts (the interaction handler lets
   * acknowledgements on their way to Discord land first).
   */
  constructor(
    readonly costs: CostMeter = new CostMeter(),
    private readonly beforeJob?: () => Promise<void>,
  ) {}

  /**
   * Milliseconds until a job queued now would start: the waiting jobs' measured
   * costs, or their number times the observed time between two jobs, whichever is more.
   */
  waitingMs(): number {
    return Math.max(this.pendingCost, this.size * this.serviceMs);
  }

  /** Jobs waiting. */
  get size(): number {
    let n = 0;
    for (const jobs of this.byMember.values()) n += jobs.length;
    return n;
  }

  /**
   * Queues `run` for `memberId`; resolves when it has finished (rejects with its error). `gate`,
   * when given, is awaited just before `run` starts: a job about to hold the event loop first lets
   * its interaction's acknowledgement reach Discord.
   */
  schedule(memberId: string, key: string, run: () => Promise<void>, gate?: () => Promise<void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const job: QueuedJob = { key, run, ...(gate ? { gate } : {}), done: (error) => (error === undefined ? resolve() : reject(error)) };
      const jobs = this.byMember.get(memberId);
      if (jobs) jobs.push(job);
      else this.byMember.set(memberId, [job]);
      this.pendingCost += this.costs.estimate(key);
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      // Yield first: every interaction of the burst that has arrived gets queued (and, if it must wait, deferred) before work starts.
      await yieldToLoop();
      while (this.byMember.size > 0) {
        // Round-robin: the first member in the map runs one job and goes to the back.
        const [memberId, jobs] = this.byMember.entries().next().value as [string, QueuedJob[]];
        const job = jobs.shift()!;
        this.byMember.delete(memberId);
        if (jobs.length > 0) this.byMember.set(memberId, jobs);
        this.pendingCost = Math.max(0, this.pendingCost - this.costs.estimate(job.key));
        if (this.beforeJob) await this.beforeJob().catch(() => undefined);
        if (job.gate) await job.gate().catch(() => undefined);
        const started = performance.now();
        if (this.lastStart !== null) this.serviceMs += (started - this.lastStart - this.serviceMs) * COST_SMOOTHING;
        let finished: Promise<void>;
        try {
          finished = job.run();
        } catch (error) {
          finished = Promise.reject(error);
        }
        this.costs.record(job.key, performance.now() - started);
        finished.then(
          () => job.done(),
          (error: unknown) => job.done(error ?? new Error('job failed')),
        );
        // The time to the next start counts only while jobs are waiting (a busy period).
        this.lastStart = this.byMember.size > 0 ? started : null;
        await yieldToLoop();
      }
    } finally {
      this.running = false;
      this.lastStart = null;
    }
  }
}
