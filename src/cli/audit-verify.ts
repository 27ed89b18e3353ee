import { verifyAuditChain } from '../services/verify-audit-chain.ts';
import { openDatabase } from '../store/database.ts';
import { databaseUrl } from './config.ts';

const database = await openDatabase(databaseUrl());
try {
  const report = await verifyAuditChain(database.client);
  if (report.firstProblem) {
    const { sequence, id, reason } = report.firstProblem;
    console.error(`audit chain broken at record ${sequence} (determination ${id}): ${reason}; ${report.checked} records before it verify`);
    process.exitCode = 1;
  } else {
    console.log(`audit chain intact: ${report.checked} determinations verified${report.unchained ? `; ${report.unchained} outside the chain` : ''} (${database.description})`);
  }
} finally {
  await database.close();
}
