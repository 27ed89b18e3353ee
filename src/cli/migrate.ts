import { describeUrl } from '../store/database.ts';
import { migrateDatabase } from '../store/prepare-database.ts';
import { databaseUrl } from './config.ts';

const url = databaseUrl();
const report = await migrateDatabase(url);
console.log(`${describeUrl(url)}: applied ${report.applied.length} migration(s)${report.applied.length ? `: ${report.applied.join(', ')}` : ''}; ${report.alreadyApplied.length} already applied`);
