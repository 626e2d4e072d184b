/**
 * The user's settings as defaults of a local run config, shared by Run Locally and Debug
 * Locally so both run the same execution. Free of the VS Code API so it is tested in Node.
 */

/** Reads one `aslWorkbench.*` setting; empty strings count as unset. */
export type SettingReader = (key: string) => string | undefined;

/** `config` with the engine, Kubernetes and kind settings filling what it leaves out. */
export function withSettings(config: Record<string, unknown>, setting: SettingReader): Record<string, unknown> {
  const cfg = config as Record<string, unknown> & {
    engine?: Record<string, unknown>;
    kubernetes?: Record<string, unknown>;
  };
  const engine = {
    ...defined({ kind: setting('containerEngine.kind'), host: setting('containerEngine.host') }),
    ...(cfg.engine ?? {}),
  };
  const kubernetes = {
    ...defined({
      context: setting('kubernetes.context'),
      kubeconfig: setting('kubernetes.kubeconfig'),
      kindClusterName: setting('kind.clusterName'),
      kindPath: setting('kind.path'),
    }),
    ...(cfg.kubernetes ?? {}),
  };
  return { ...cfg, engine, kubernetes };
}

function defined(o: Record<string, string | undefined>): Record<string, string> {
  const r: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) if (v) r[k] = v;
  return r;
}
