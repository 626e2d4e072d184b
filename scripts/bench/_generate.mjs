// Generated state machines for benchmarks (a library: bench.mjs skips files starting with '_').

/** A chain of n states; returns the text and the offset of a Comment to edit. */
export function generateMachine(n) {
  const states = {};
  const name = (i) => `S${String(i).padStart(5, '0')}`;
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? { Next: name(i + 1) } : { End: true };
    let s;
    if (i % 50 === 49 && i + 1 < n) {
      const branch = (b) => ({
        StartAt: `${name(i)}-b${b}-1`,
        States: {
          [`${name(i)}-b${b}-1`]: { Type: 'Pass', Next: `${name(i)}-b${b}-2` },
          [`${name(i)}-b${b}-2`]: { Type: 'Pass', End: true },
        },
      });
      s = { Type: 'Parallel', Branches: [branch(0), branch(1)], ...next };
    } else if (i % 10 === 9 && i + 1 < n) {
      s = {
        Type: 'Choice',
        Choices: [{ Variable: '$.flag', BooleanEquals: true, Next: name(i + 1) }],
        Default: name(i + 1),
      };
    } else if (i % 2 === 0) {
      s = {
        Type: 'Task',
        Comment: 'step',
        Resource: 'arn:aws:states:::ecs:runTask.sync',
        Parameters: { Cluster: 'jobs', TaskDefinition: 'report-job:3', LaunchType: 'FARGATE', 'Group.$': '$.group' },
        TimeoutSeconds: 900,
        ResultPath: '$.last',
        ...next,
      };
    } else s = { Type: 'Pass', Comment: 'step', Result: { i }, ResultPath: '$.pass', ...next };
    states[name(i)] = s;
  }
  const text = JSON.stringify({ Comment: `${n} generated states`, StartAt: name(0), States: states }, null, 2);
  // the state in the middle: its "Comment" value is what the one-state change edits
  const mid = text.indexOf(`"${name(Math.floor(n / 2) - (Math.floor(n / 2) % 2))}": {`);
  const commentAt = text.indexOf('"step"', mid) + 1;
  return { text, commentAt };
}
