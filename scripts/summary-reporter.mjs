// node:test reporter that writes one JSON line of counts (used by scripts/run-tests.mjs to
// print the suite's single closing "N passed, M failed" line).
export default async function* summary(source) {
  let passed = 0,
    failed = 0,
    skipped = 0;
  const failures = [];
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    // suites (describe) report too; count leaf tests only
    if (event.data.details?.type === 'suite') continue;
    if (event.type === 'test:pass') {
      if (event.data.skip || event.data.todo) skipped++;
      else passed++;
    } else {
      failed++;
      failures.push(`${event.data.file ?? ''}: ${event.data.name}`);
    }
  }
  yield JSON.stringify({ passed, failed, skipped, failures }) + '\n';
}
