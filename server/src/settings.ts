/** Server settings (workspace/configuration section `aslWorkbench`). */
import { ACCOUNT_PLACEHOLDER, REGION_PLACEHOLDER } from '../../asl/src/iam';
import type { MachineType } from '../../asl/src/rules/types';

export const SETTINGS_SECTION = 'aslWorkbench';

export interface ServerSettings {
  /** Step Functions machine type used by validation (EXPRESS forbids .sync/.waitForTaskToken) */
  machineType: MachineType;
  iam: { region: string; account: string };
}

export const DEFAULT_SETTINGS: ServerSettings = {
  machineType: 'STANDARD',
  iam: { region: REGION_PLACEHOLDER, account: ACCOUNT_PLACEHOLDER },
};

/** Normalises whatever the client sent (possibly null or partial) into ServerSettings. */
export function normalizeSettings(raw: unknown): ServerSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const iam = (r.iam && typeof r.iam === 'object' ? r.iam : {}) as Record<string, unknown>;
  const mt = typeof r.machineType === 'string' ? r.machineType.toUpperCase() : '';
  return {
    machineType: mt === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
    iam: {
      region: typeof iam.region === 'string' && iam.region ? iam.region : DEFAULT_SETTINGS.iam.region,
      account: typeof iam.account === 'string' && iam.account ? iam.account : DEFAULT_SETTINGS.iam.account,
    },
  };
}
