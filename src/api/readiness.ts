import type { MigrationDriver } from '../store/migrations/migration-runner.ts';
import { pendingMigrations, readMigrations } from '../store/migrations/migration-runner.ts';

/** For /readyz, over a small connection of its own: every committed migration must be applied. */
export async function pendingMigrationNames(driver: MigrationDriver): Promise<string[]> {
  return pendingMigrations(driver, readMigrations(driver.provider));
}
