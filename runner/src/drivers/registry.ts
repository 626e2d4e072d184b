/**
 * Task driver registry. Engineers of the Docker/ECS and Kubernetes drivers register theirs in
 * drivers/defaults.ts; callers may also pass drivers explicitly. A Task is sent to the mock
 * driver when its test case lists the state, otherwise to the first registered driver whose
 * `canHandle(resource, config)` is true; with none it fails with AslWorkbench.NoDriver.
 */
import type { ParsedResource } from '../../../asl/src/types';
import type { LocalRunConfig, TaskDriver } from './types';

/** A factory creates a fresh driver per run (drivers may hold per-run state). */
export type DriverFactory = () => TaskDriver;

/** A registry of driver factories (no module-level singleton: the CLI and tests own one each). */
export class DriverRegistry {
  private readonly factories: { name: string; create: DriverFactory }[] = [];

  /** Adds a driver factory; later registrations with the same name replace earlier ones. */
  register(name: string, create: DriverFactory): void {
    const i = this.factories.findIndex((f) => f.name === name);
    if (i >= 0) this.factories[i] = { name, create };
    else this.factories.push({ name, create });
  }

  /** Fresh driver instances, in registration order. */
  create(): TaskDriver[] {
    return this.factories.map((f) => f.create());
  }

  get names(): string[] {
    return this.factories.map((f) => f.name);
  }
}

/** Shorthand for `registry.register(name, factory)` in defaults.ts. */
export function registerDriver(registry: DriverRegistry, name: string, create: DriverFactory): void {
  registry.register(name, create);
}

/** The first driver that handles `resource` under `config`. */
export function resolveDriver(
  drivers: TaskDriver[],
  resource: ParsedResource,
  config: LocalRunConfig,
): TaskDriver | undefined {
  return drivers.find((d) => {
    try {
      return d.canHandle(resource, config);
    } catch {
      return false;
    }
  });
}
