// Stops berth-server and berth-worker (SIGTERM, SIGKILL after 10 s) and drops the run's database.
// Fails the run, with the log tail, if either had exited on its own while the tests ran.
import { currentHarness, describeExit, setHarness, shutdown, tail } from './berth';

export default async function globalTeardown(): Promise<void> {
  const harness = currentHarness();
  if (!harness) return; // global setup failed (and cleaned up) or never ran
  setHarness(undefined);
  const crashed = await shutdown(harness);
  if (crashed.length > 0) {
    const tails = crashed.map((c) => `${describeExit(c)} during the run. Tail of ${c.logPath}:\n${tail(c.logPath)}`);
    throw new Error(tails.join('\n\n'));
  }
}
