/**
 * Edits of the local run config file (`asl-workbench.run.json`, schema
 * schemas/local-run-config.schema.json) that the "something is missing" actions make: map a
 * TaskDefinition to a file, run an EKS cluster's Jobs on containers, pin a kube context.
 * Pure text in, text out (jsonc-parser keeps the user's formatting and comments).
 */
import { applyEdits, modify, parse, type JSONPath } from 'jsonc-parser';

const FORMAT = { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } };

/** A new run config text when none exists yet. */
export function emptyRunConfig(schemaRef?: string): string {
  return JSON.stringify(schemaRef ? { $schema: schemaRef } : {}, null, 2) + '\n';
}

function set(text: string, path: JSONPath, value: unknown): string {
  const base = text.trim() ? text : '{}\n';
  const parsed: unknown = parse(base);
  const safe = parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? base : '{}\n';
  return applyEdits(safe, modify(safe, path, value, FORMAT));
}

/** Maps `taskDefinition` (family, family:revision or ARN) to a file path or inline definition. */
export function withTaskDefinition(text: string, taskDefinition: string, value: string | object): string {
  return set(text, ['taskDefinitions', taskDefinition], value);
}

/** `clusters.<name>.mode = "containers"`: run the cluster's Jobs as containers (no Kubernetes). */
export function withClusterOnContainers(text: string, clusterName: string): string {
  return set(text, ['clusters', clusterName, 'mode'], 'containers');
}

/** `kubernetes.context = <context>` for every cluster without its own mapping. */
export function withKubeContext(text: string, context: string): string {
  return set(text, ['kubernetes', 'context'], context);
}

/** A starter ECS task definition (register-task-definition shape) for an unmapped family. */
export function taskDefinitionTemplate(taskDefinition: string, image: string): object {
  const family = taskDefinition.replace(/^arn:[^/]*\//, '').replace(/:\d+$/, '') || 'task';
  return {
    family,
    containerDefinitions: [{ name: 'main', image, essential: true, command: ['echo', `hello from ${family}`] }],
  };
}

/** Relative path from the config's folder in the `./x` form the run config examples use. */
export function relativeRef(fromDir: string, file: string): string {
  const a = fromDir.replace(/\/+$/, '').split('/');
  const b = file.split('/');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const up = a.slice(i).map(() => '..');
  const rel = [...up, ...b.slice(i)].join('/');
  return up.length ? rel : `./${rel}`;
}
