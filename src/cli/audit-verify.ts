import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseCheckpoint, verifyWithCheckpoints } from '../services/audit-checkpoints.ts';
import { verifyReviewChain } from '../services/verify-audit-chain.ts';
import { openDatabase } from '../store/database.ts';
import { auditKeyOrExit, databaseUrl } from './config.ts';

// npm run audit:verify [-- --checkpoint <file or JSON>]: the chain, every stored checkpoint (with
// AUDIT_HMAC_KEY or AUDIT_HMAC_KEY_FILE set) and a checkpoint kept outside the database.
const { values } = parseArgs({ options: { checkpoint: { type: 'string' } } });
const external = values.checkpoint === undefined ? null : parseCheckpoint(existsSync(values.checkpoint) ? readFileSync(values.checkpoint, 'utf8') : values.checkpoint);
const key = auditKeyOrExit();
const database = await openDatabase(databaseUrl());
try {
  const { chain, problems, anchoredThrough, sealed, unsealed, unanchored } = await verifyWithCheckpoints(database.client, key, external);
  if (chain.firstProblem) {
    const { sequence, id, reason } = chain.firstProblem;
    console.error(`audit chain broken at record ${sequence} (determination ${id}): ${reason}; ${chain.checked} records before it verify`);
    process.exitCode = 1;
  }
  const reviews = await verifyReviewChain(database.client);
  if (reviews.firstProblem) {
    const { sequence, id, reason } = reviews.firstProblem;
    console.error(`review chain broken at review ${sequence} (review ${id}): ${reason}; ${reviews.checked} reviews before it verify`);
    process.exitCode = 1;
  }
  for (const { checkpoint, external: outside, problem } of problems) {
    console.error(`${outside ? 'the given' : 'a stored'} checkpoint at record ${checkpoint.sequence} (signed ${checkpoint.signedAt}): ${problem}`);
    process.exitCode = 1;
  }
  if (unsealed?.first) {
    console.error(`${unsealed.count} record(s) after ${anchoredThrough > 0 ? `the last checkpoint (record ${anchoredThrough})` : 'the start, with no checkpoint'} carry no seal made with the key, the first at record ${unsealed.first.sequence} (determination ${unsealed.first.id}): appended by someone without the key (a forgery, or a server run without AUDIT_HMAC_KEY)`);
    process.exitCode = 1;
  }
  if (!process.exitCode) {
    const later = key ? (sealed ? `, ${sealed} later records each sealed with the key` : '') : unanchored ? `, ${unanchored} later records not yet anchored` : '';
    const anchoring = anchoredThrough > 0 ? `; anchored by a checkpoint through record ${anchoredThrough}${later}` : key ? `; no checkpoint yet${sealed ? `, every record sealed with the key` : ''}` : external ? '; no checkpoint anchors it yet' : ' (no key or checkpoint given: truncation and rewriting cannot be ruled out)';
    console.log(`audit chain intact: ${chain.checked} determinations verified${chain.unchained ? `; ${chain.unchained} outside the chain` : ''}${anchoring}; review chain intact: ${reviews.checked} reviews verified (${database.description})`);
  }
} finally {
  await database.close();
}
