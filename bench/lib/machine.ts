import { readFileSync } from "node:fs";

/**
 * The machine's CPU time so far, from Linux's /proc/stat (in clock ticks): all of it, the part
 * spent idle (idle + iowait), and the part the hypervisor gave to other guests ("steal"). Null
 * where /proc/stat is not there.
 */
export interface CpuTimes {
  total: number;
  idle: number;
  steal: number;
}

export function cpuTimes(): CpuTimes | null {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, idle: (fields[3] ?? 0) + (fields[4] ?? 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}

/** Share of the CPU time between two readings that the hypervisor took (0–1), or null. */
export function stealShare(from: CpuTimes | null, to: CpuTimes | null): number | null {
  if (!from || !to || to.total <= from.total) return null;
  return (to.steal - from.steal) / (to.total - from.total);
}

/**
 * Wait until the machine is idle — under `maxBusyShare` of its CPU time busy over a 100 ms window
 * (the server finishing requests still in flight when a load stopped, PostgreSQL writing) — or
 * `timeoutMs` has passed. Returns at once where /proc/stat is not there.
 */
export async function waitForIdleMachine(maxBusyShare = 0.15, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = cpuTimes();
  if (!last) return;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    const now = cpuTimes()!;
    const elapsed = now.total - last.total;
    const busyShare = elapsed > 0 ? (elapsed - (now.idle - last.idle)) / elapsed : 0;
    last = now;
    if (busyShare < maxBusyShare) return;
  }
}
