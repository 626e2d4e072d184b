/**
 * `asl-workbench clean` — remove containers and networks left by local runs.
 *
 *   asl-workbench clean            objects of runner processes that are gone (crashed runs)
 *   asl-workbench clean --all      every object labelled dev.asl-workbench.managed=true
 *   --execution <arn>              only the objects of one execution (running or not)
 *   --host <socket|tcp://…>        engine to clean (default: DOCKER_HOST, then Docker's / Podman's socket)
 *   --kind auto|docker|podman      which engine's socket to look for
 *   --json                         print the summary as JSON
 */
import { ContainerEngine, EngineUnavailableError } from '../drivers/docker/engine';
import type { EngineKind } from '../drivers/docker/endpoint';
import { removeManaged } from '../drivers/docker/leftovers';

const HELP = `usage: asl-workbench clean [--all | --execution <arn>] [--host <socket|tcp://host:port>] [--kind auto|docker|podman] [--json]

Removes containers and networks labelled by asl-workbench runs.
Without --all only objects of runner processes that no longer exist (crashed runs) are removed.`;

/** CLI entry: exit 0 when everything matched was removed, 1 when some removal failed, 2 usage / no engine. */
export async function main(argv: string[]): Promise<number> {
  let all = false;
  let json = false;
  let host: string | undefined;
  let kind: EngineKind | undefined;
  let executionArn: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--all') all = true;
    else if (a === '--json') json = true;
    else if (a === '--host') host = argv[++i];
    else if (a === '--execution') executionArn = argv[++i];
    else if (a === '--kind') kind = argv[++i] as EngineKind;
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
  const engine = new ContainerEngine({ host, kind });
  try {
    await engine.ping();
    const scope = executionArn
      ? ({ kind: 'execution', executionArn } as const)
      : all
        ? ({ kind: 'all' } as const)
        : ({ kind: 'orphans' } as const);
    const r = await removeManaged(engine, scope);
    if (json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else {
      process.stdout.write(
        `removed ${r.containers.length} container(s) and ${r.networks.length} network(s)${all || executionArn ? '' : ' left by runs that are no longer running'}\n`,
      );
      for (const c of r.containers) process.stdout.write(`  container ${c}\n`);
      for (const n of r.networks) process.stdout.write(`  network   ${n}\n`);
      for (const e of r.errors) process.stderr.write(`  failed: ${e}\n`);
    }
    return r.errors.length ? 1 : 0;
  } catch (e) {
    const msg = e instanceof EngineUnavailableError ? e.message : `cleaning failed: ${(e as Error).message}`;
    process.stderr.write(`asl-workbench clean: ${msg}\n`);
    return 2;
  } finally {
    engine.close();
  }
}
