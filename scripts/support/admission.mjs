// Admission control for scripts/server.mjs: at most `limit` requests are worked on at once; the
// next `queueLimit` wait their turn, each at most `maxWaitMs`; anything beyond — or a request whose
// turn would not come in time by what admitted requests have been taking — is refused at once (the server answers 503 + Retry-After, or a
// short "busy" page) instead of queueing for seconds. A request that has been admitted is never
// dropped. Priority requests (a signed-in customer's payment) skip the queue's limits: they wait
// for the next free slot, however long the queue.
//
// Why: past the point where both cores are busy, more requests in flight only add queueing and
// garbage (every in-flight request's objects are live), so the work a request costs grows with
// the queue and throughput falls (issue 31: /account lost 44 % from 32 to 128 connections).

/**
 * @typedef {{ limit: number; queueLimit: number; maxWaitMs: number }} AdmissionOptions
 * @typedef {{ resolve: (release: (() => void) | null) => void; timer: NodeJS.Timeout | null; priority: boolean }} Waiter
 */

/**
 * The defaults from the machine: a few requests per core keep both busy (a request spends part of
 * its time waiting on PostgreSQL), and never more than the database pool can serve at once twice
 * over.
 * @param {{ cores: number; poolMax: number; env?: Record<string, string | undefined> }} machine
 * @returns {AdmissionOptions}
 */
export function admissionOptions({ cores, poolMax, env = {} }) {
  const number = (name, fallback, min) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min} (got "${raw}")`);
    return n;
  };
  const limit = number("PORTICO_MAX_CONCURRENCY", Math.max(4, Math.min(cores * 8, poolMax * 2)), 1);
  return {
    limit,
    queueLimit: number("PORTICO_QUEUE_LIMIT", limit * 4, 0),
    maxWaitMs: number("PORTICO_QUEUE_WAIT_MS", 250, 0),
  };
}

/** @param {AdmissionOptions} options */
export function createAdmission({ limit, queueLimit, maxWaitMs }) {
  let active = 0;
  /** @type {Waiter[]} */
  const queue = [];
  const stats = { admitted: 0, refused: 0, queued: 0, timedOut: 0 };
  /** How long an admitted request holds its slot, smoothed (ms): what a place in the queue costs. */
  let serviceMs = 0;

  /** The release function of one admitted request: frees its slot once, and learns how long it held it. */
  function admit() {
    active++;
    stats.admitted++;
    const started = performance.now();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const held = performance.now() - started;
      serviceMs = serviceMs === 0 ? held : serviceMs * 0.9 + held * 0.1;
      active--;
      while (queue.length && active < limit) {
        const next = queue.shift();
        if (!next) break;
        if (next.timer) clearTimeout(next.timer);
        next.resolve(admit());
      }
    };
  }

  /** The wait a request joining the queue now can expect: its place ÷ the slots × how long a slot is held. */
  function expectedWaitMs() {
    return ((queue.length + 1) / limit) * serviceMs;
  }

  return {
    stats,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    /**
     * Resolves to a release function once admitted, or to null when refused.
     * @param {{ priority?: boolean }} [opts]
     * @returns {Promise<(() => void) | null> | (() => void) | null}
     */
    acquire(opts = {}) {
      if (active < limit && queue.length === 0) return admit();
      // Refused at once — not after waiting in vain — when the queue is full or its turn would not come in time.
      if (!opts.priority && (queue.length >= queueLimit || expectedWaitMs() > maxWaitMs)) {
        stats.refused++;
        return null;
      }
      stats.queued++;
      return new Promise((resolve) => {
        /** @type {Waiter} */
        const waiter = { resolve, timer: null, priority: !!opts.priority };
        if (!opts.priority) {
          waiter.timer = setTimeout(() => {
            const i = queue.indexOf(waiter);
            if (i >= 0) queue.splice(i, 1);
            stats.timedOut++;
            stats.refused++;
            resolve(null);
          }, maxWaitMs);
          queue.push(waiter);
        } else {
          // Ahead of every ordinary waiter, behind earlier priority ones.
          const firstOrdinary = queue.findIndex((w) => !w.priority);
          queue.splice(firstOrdinary < 0 ? queue.length : firstOrdinary, 0, waiter);
        }
      });
    },
  };
}
