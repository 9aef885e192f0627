// A node:test reporter that counts results for `npm test`'s last line: every test (not the
// suites that group them) that passed, and every one that failed or was cancelled, across all
// test files. It writes one JSON line to its destination: {"passed": N, "failed": M}.
export default async function* countReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    const type = event.data?.details?.type;
    if (event.type === 'test:pass' && type !== 'suite' && !event.data.skip && !event.data.todo) passed++;
    // A file that fails outside any test (it does not load) is reported as a failed test too.
    if (event.type === 'test:fail' && type !== 'suite') failed++;
  }
  yield `${JSON.stringify({ passed, failed })}\n`;
}
