import { writeCheckpoint } from '../services/audit-checkpoints.ts';
import { openDatabase } from '../store/database.ts';
import { auditKeyOrExit, databaseUrl } from './config.ts';

// Signs the chain's head now and prints the checkpoint as one JSON line, for a store outside the
// database (a ticket, a WORM bucket, another system's log): `audit:verify --checkpoint` checks it.
const key = auditKeyOrExit();
if (!key) {
  console.error('set AUDIT_HMAC_KEY or AUDIT_HMAC_KEY_FILE (at least 32 characters) to sign checkpoints');
  process.exit(2);
}
const database = await openDatabase(databaseUrl());
try {
  const checkpoint = await writeCheckpoint(database.client, key, new Date());
  if (!checkpoint) console.error('the audit chain is empty: nothing to anchor yet');
  else console.log(JSON.stringify(checkpoint));
} finally {
  await database.close();
}
