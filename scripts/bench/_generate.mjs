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

/**
 * An editor-scale machine: n top-level states in a chain of ECS Tasks (RunTask .sync with
 * network configuration, container overrides and a Retry) and Pass states, a Choice at every
 * 10th position and a Parallel of two 2-state branches at every 50th (the last state is one
 * and ends the machine). 5,000 top-level states are 5,400 in all and 2.9 MB of JSON.
 * Returns the text, the offset of a Task's Comment in the middle to edit, and the counts.
 */
export function generateEditorMachine(n) {
  const name = (i) => `S${String(i).padStart(5, '0')}`;
  const states = {};
  let all = 0;
  for (let i = 0; i < n; i++) {
    const next = i + 1 < n ? { Next: name(i + 1) } : { End: true };
    let s;
    if (i % 50 === 49) {
      const branch = (b) => ({
        StartAt: `${name(i)}-b${b}-1`,
        States: {
          [`${name(i)}-b${b}-1`]: {
            Type: 'Pass',
            Result: { branch: b },
            ResultPath: '$.branch',
            Next: `${name(i)}-b${b}-2`,
          },
          [`${name(i)}-b${b}-2`]: { Type: 'Pass', End: true },
        },
      });
      s = { Type: 'Parallel', Comment: 'fan out', Branches: [branch(0), branch(1)], ResultPath: '$.parallel', ...next };
      all += 4;
    } else if (i % 10 === 9) {
      s = {
        Type: 'Choice',
        Comment: 'route',
        Choices: [{ Variable: '$.flag', BooleanEquals: true, Next: name(i + 1) }],
        Default: name(i + 1),
      };
    } else if (i % 2 === 0) {
      s = {
        Type: 'Task',
        Comment: 'step',
        Resource: 'arn:aws:states:::ecs:runTask.sync',
        Parameters: {
          Cluster: 'jobs',
          TaskDefinition: 'report-job:3',
          LaunchType: 'FARGATE',
          NetworkConfiguration: {
            AwsvpcConfiguration: { Subnets: ['subnet-0a1b2c3d4e5f60001'], AssignPublicIp: 'DISABLED' },
          },
          Overrides: { ContainerOverrides: [{ Name: 'report', 'Command.$': "States.Array('report', $.day)" }] },
        },
        TimeoutSeconds: 900,
        Retry: [{ ErrorEquals: ['ECS.AmazonECSException'], IntervalSeconds: 5, MaxAttempts: 3, BackoffRate: 2 }],
        ResultPath: '$.last',
        ...next,
      };
    } else s = { Type: 'Pass', Comment: 'step', Result: { i }, ResultPath: '$.pass', ...next };
    states[name(i)] = s;
    all++;
  }
  const text = JSON.stringify({ Comment: `${n} generated states`, StartAt: name(0), States: states }, null, 2);
  const mid = text.indexOf(`"${name(Math.floor(n / 2) - (Math.floor(n / 2) % 2))}": {`);
  const commentAt = text.indexOf('"step"', mid) + 1;
  return { text, commentAt, topLevel: n, states: all };
}

/**
 * A YAML machine of n ECS Task states sharing a few anchors, the way people write YAML by
 * hand: the first state anchors its Parameters (`&ecs`), Retry (`&retry`) and Catch
 * (`&catch`) blocks; the second reuses them (`<<: *ecs`, `*retry`, `*catch`) and is itself
 * the template (`&task`) every later state merges (`<<: *task`), so most aliases are met
 * inside other expansions. 100 states are about 14 KB, 200 about 28 KB.
 */
export function generateAliasMachine(n) {
  const name = (i) => `Step${String(i).padStart(3, '0')}`;
  const next = (i) => (i + 1 < n ? `Next: ${name(i + 1)}` : 'End: true');
  const lines = [
    `Comment: ${n} ECS tasks sharing anchored blocks`,
    `StartAt: ${name(0)}`,
    'States:',
    `  ${name(0)}:`,
    '    Type: Task',
    '    Resource: arn:aws:states:::ecs:runTask.sync',
    '    Parameters: &ecs',
    '      Cluster: arn:aws:ecs:us-east-1:123456789012:cluster/batch',
    '      TaskDefinition: job-0:3',
    '      LaunchType: FARGATE',
    '      NetworkConfiguration:',
    '        AwsvpcConfiguration:',
    '          Subnets: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002]',
    '          SecurityGroups: [sg-0123456789abcdef0]',
    '          AssignPublicIp: DISABLED',
    '    Retry: &retry',
    '      - ErrorEquals: [ECS.AmazonECSException, States.TaskFailed]',
    '        IntervalSeconds: 5',
    '        MaxAttempts: 3',
    '        BackoffRate: 2',
    '    Catch: &catch',
    '      - ErrorEquals: [States.ALL]',
    '        ResultPath: $.error',
    '        Next: Failed',
    '    TimeoutSeconds: 900',
    '    ResultPath: $.results.s0',
    `    ${next(0)}`,
    `  ${name(1)}: &task`,
    '    Type: Task',
    '    Resource: arn:aws:states:::ecs:runTask.sync',
    '    Parameters:',
    '      <<: *ecs',
    '      TaskDefinition: job-1:3',
    '    Retry: *retry',
    '    Catch: *catch',
    '    TimeoutSeconds: 900',
    '    ResultPath: $.results.s1',
    `    ${next(1)}`,
  ];
  for (let i = 2; i < n - 1; i++) {
    lines.push(
      `  ${name(i)}:`,
      '    <<: *task',
      '    Parameters:',
      '      <<: *ecs',
      `      TaskDefinition: job-${i}:3`,
      `    ResultPath: $.results.s${i}`,
      `    ${next(i)}`,
    );
  }
  // the last state ends the machine, so it cannot take the template's Next
  lines.push(
    `  ${name(n - 1)}:`,
    '    Type: Task',
    '    Resource: arn:aws:states:::ecs:runTask.sync',
    '    Parameters: *ecs',
    '    Retry: *retry',
    '    TimeoutSeconds: 900',
    '    End: true',
    '  Failed:',
    '    Type: Fail',
    '    Error: StepFailed',
  );
  return lines.join('\n') + '\n';
}

/**
 * A machine nested `depth` states deep: Map states (ItemProcessor) and Parallel states
 * (Branches) alternating, each the only state of its parent's scope.
 */
export function generateNestedMachine(depth) {
  let inner = { StartAt: 'Leaf', States: { Leaf: { Type: 'Pass', End: true } } };
  for (let i = 0; i < depth; i++) {
    const name = `L${i}`;
    const state =
      i % 2 ? { Type: 'Parallel', Branches: [inner], End: true } : { Type: 'Map', ItemProcessor: inner, End: true };
    inner = { StartAt: name, States: { [name]: state } };
  }
  return inner;
}
