/** Whether better-sqlite3 refused a statement because another connection holds the write lock. */
export function isSqliteBusy(error: unknown): boolean {
  return typeof error === 'object' && error !== null && String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY');
}

/**
 * Runs a synchronous SQLite write (a whole `BEGIN IMMEDIATE` transaction) and, while another writer
 * holds the lock (an ingestion or a server in this or another process), waits without blocking the
 * event loop and tries again, up to `timeoutMs`, as the adapter's busy timeout would. The driver
 * connections have no busy timeout of their own: a busy wait inside the driver would block the
 * event loop, and with it a transaction of this very process that holds the lock.
 */
export async function whenNotBusy<T>(write: () => T, timeoutMs = 5000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (let pause = 2; ; pause = Math.min(pause * 2, 100)) {
    try {
      return write();
    } catch (error) {
      if (!isSqliteBusy(error) || performance.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
