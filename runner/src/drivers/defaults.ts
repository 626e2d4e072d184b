/** The drivers `asl-workbench run`, `serve` and the extension use by default. */
import { DriverRegistry } from './registry';
import { EcsDockerDriver } from './ecs/driver';
import { EksDriver } from './eks/driver';

/** A registry with every built-in driver registered. */
export function defaultDrivers(): DriverRegistry {
  const registry = new DriverRegistry();
  registry.register('docker-ecs', () => new EcsDockerDriver());
  registry.register('eks', () => new EksDriver());
  return registry;
}
