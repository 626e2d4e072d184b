/**
 * `asl-workbench clean` — remove containers, networks and Kubernetes Jobs left by local runs.
 *
 *   asl-workbench clean            objects of runner processes that are gone (crashed runs)
 *   asl-workbench clean --all      every object labelled as managed by asl-workbench
 *   --execution <arn>              only the containers/networks of one execution (running or not)
 *   --host <socket|tcp://…>        engine to clean (default: the run config's engine.host, DOCKER_HOST, then the
 *                                  Docker, Podman and Docker Desktop sockets)
 *   --kind auto|docker|podman      which engine's socket to look for
 *   --context <name>               kubeconfig context whose cluster is cleaned (default: run config, then current)
 *   --kubeconfig <file>            kubeconfig file (default: run config, then KUBECONFIG / ~/.kube/config)
 *   --config <file>                local run config (default: asl-workbench.run.json here or at the workspace root)
 *   --json                         print the summary as JSON
 */
import path from 'node:path';
import { loadRunConfig } from '../../runner/src/config';
import { ContainerEngine, EngineUnavailableError } from '../../runner/src/drivers/docker/engine';
import type { EngineKind } from '../../runner/src/drivers/docker/endpoint';
import { removeManaged, type RemovalSummary } from '../../runner/src/drivers/docker/leftovers';
import { cleanCluster, type ClusterCleanResult } from './cleanCluster';

const HELP = `usage: asl-workbench clean [--all | --execution <arn>] [--host <socket|tcp://host:port>] [--kind auto|docker|podman]
                          [--context <name>] [--kubeconfig <file>] [--config <file>] [--json]

Removes containers and networks labelled by asl-workbench runs, and the Jobs runs created in the
Kubernetes cluster of the kubeconfig context (--context, else the run config's, else the current one;
skipped when no cluster is reachable).
Without --all only objects of runner processes that no longer exist (crashed runs) are removed.`;

/** CLI entry: exit 0 when everything matched was removed, 1 when some removal failed, 2 usage / no engine. */
export async function main(argv: string[]): Promise<number> {
  let all = false;
  let json = false;
  let host: string | undefined;
  let kind: EngineKind | undefined;
  let executionArn: string | undefined;
  let context: string | undefined;
  let kubeconfig: string | undefined;
  let configFile: string | undefined;
  const valueOptions = ['--host', '--execution', '--kind', '--context', '--kubeconfig', '--config'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (valueOptions.includes(a) && (i + 1 >= argv.length || argv[i + 1]!.startsWith('--'))) {
      process.stderr.write(`asl-workbench clean: ${a} needs a value\n${HELP}\n`);
      return 2;
    }
    if (a === '--all') all = true;
    else if (a === '--json') json = true;
    else if (a === '--host') host = argv[++i];
    else if (a === '--execution') executionArn = argv[++i];
    else if (a === '--kind') kind = argv[++i] as EngineKind;
    else if (a === '--context') context = argv[++i];
    else if (a === '--kubeconfig') kubeconfig = argv[++i];
    else if (a === '--config') configFile = argv[++i];
    else if (a === '--help' || a === '-h') {
      process.stdout.write(HELP + '\n');
      return 0;
    } else {
      process.stderr.write(`asl-workbench clean: unknown option ${a}\n${HELP}\n`);
      return 2;
    }
  }
  if (kind && !['auto', 'docker', 'podman'].includes(kind)) {
    process.stderr.write(`asl-workbench clean: --kind must be auto, docker or podman\n`);
    return 2;
  }
  // the run config is looked up as for a machine file in the current directory
  const loaded = loadRunConfig(path.join(process.cwd(), 'clean'), configFile);
  if (!loaded.ok && configFile) {
    process.stderr.write(`asl-workbench clean: ${loaded.error}\n`);
    return 2;
  }
  // a broken config found nearby must not stop the clean-up: warn and use the defaults
  if (!loaded.ok) process.stderr.write(`asl-workbench clean: ignoring the run config: ${loaded.error}\n`);
  const cfg = { value: loaded.ok ? loaded.value : {} };
  const engine = new ContainerEngine({ host: host ?? cfg.value.engine?.host, kind: kind ?? cfg.value.engine?.kind });
  let r: RemovalSummary;
  try {
    await engine.ping();
    const scope = executionArn
      ? ({ kind: 'execution', executionArn } as const)
      : all
        ? ({ kind: 'all' } as const)
        : ({ kind: 'orphans' } as const);
    r = await removeManaged(engine, scope);
  } catch (e) {
    const msg = e instanceof EngineUnavailableError ? e.message : `cleaning failed: ${(e as Error).message}`;
    process.stderr.write(`asl-workbench clean: ${msg}\n`);
    return 2;
  } finally {
    engine.close();
  }
  // --execution names one execution's containers; Jobs of a live run are deleted by the run itself
  const k8s: ClusterCleanResult = executionArn
    ? { skipped: 'not with --execution' }
    : await cleanCluster({
        all,
        context: context ?? cfg.value.kubernetes?.context,
        kubeconfig: kubeconfig ?? cfg.value.kubernetes?.kubeconfig,
      });
  const jobs = k8s.jobs ?? [];
  const errors = [...r.errors, ...(k8s.errors ?? [])];
  if (json)
    process.stdout.write(
      JSON.stringify(
        {
          ...r,
          errors,
          jobs,
          kubernetes: k8s.skipped ? { context: k8s.context, skipped: k8s.skipped } : { context: k8s.context },
        },
        null,
        2,
      ) + '\n',
    );
  else {
    process.stdout.write(
      `removed ${r.containers.length} container(s) and ${r.networks.length} network(s)${all || executionArn ? '' : ' left by runs that are no longer running'}\n`,
    );
    for (const c of r.containers) process.stdout.write(`  container ${c}\n`);
    for (const n of r.networks) process.stdout.write(`  network   ${n}\n`);
    if (k8s.skipped) process.stdout.write(`Kubernetes skipped: ${k8s.skipped}\n`);
    else {
      process.stdout.write(`removed ${jobs.length} Job(s) in context ${k8s.context}\n`);
      for (const j of jobs) process.stdout.write(`  job       ${j}\n`);
    }
    for (const e of errors) process.stderr.write(`  failed: ${e}\n`);
  }
  return errors.length ? 1 : 0;
}
