import type { MigrationDriver } from '../store/migrations/migration-runner.ts';
import { pendingMigrations, readMigrations } from '../store/migrations/migration-runner.ts';
import { openMigrationDriver } from '../store/migrations/migration-drivers.ts';

/** A separate small connection for /readyz: it checks that every committed migration is applied. */
export async function openMigrationDriverFor(url: string): Promise<MigrationDriver & { close(): Promise<void> }> {
  return openMigrationDriver(url);
}

export async function pendingMigrationNames(driver: MigrationDriver): Promise<string[]> {
  return pendingMigrations(driver, readMigrations(driver.provider));
}
