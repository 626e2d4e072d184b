/**
 * Documentation texts for completion and hover, from the schemas' `markdownDescription`
 * (one source of text, ARCHITECTURE "schemas/"), plus the error names of https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html.
 */
import aslJsonata from '../../../../schemas/asl-jsonata.schema.json';
import aslJsonpath from '../../../../schemas/asl-jsonpath.schema.json';
import type { QueryLanguage } from '../../../../asl/src/types';
import { findIntegration } from '../../../../asl/src/integrations';

/** A JSON Schema node as far as the features read it. */
export interface SchemaNode {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  const?: unknown;
  markdownEnumDescriptions?: string[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: boolean | SchemaNode;
  required?: string[];
  $ref?: string;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  default?: unknown;
  definitions?: Record<string, SchemaNode>;
}

const ASL: Record<QueryLanguage, SchemaNode> = {
  JSONPath: aslJsonpath as unknown as SchemaNode,
  JSONata: aslJsonata as unknown as SchemaNode,
};

/** Maps a completion context label to the ASL schema definition describing it. */
function definitionFor(context: string): string | undefined {
  const m = /^(\w+) state/.exec(context);
  if (m) return m[1];
  switch (context) {
    case 'State':
      return 'state';
    case 'Parallel branch':
      return 'branch';
    case 'Map processor':
      return 'processor';
    case 'Retrier':
      return 'retrier';
    case 'Catcher':
      return 'catcher';
    case 'Choice rule':
      return 'choiceRule';
    case 'Credentials':
      return 'credentials';
    case 'ItemReader':
      return 'itemReader';
    case 'ItemBatcher':
      return 'itemBatcher';
    case 'ResultWriter':
      return 'resultWriter';
    default:
      return undefined;
  }
}

/** The ASL schema node of field `name` in a context ('Task state (JSONPath)', 'Retrier', ...). */
export function aslFieldSchema(name: string, context: string, ql: QueryLanguage): SchemaNode | undefined {
  const schema = ASL[ql] ?? ASL.JSONPath;
  const defs = schema.definitions ?? {};
  if (context === 'State machine') return schema.properties?.[name];
  if (context === 'ProcessorConfig') return defs.processor?.properties?.ProcessorConfig?.properties?.[name];
  const def = definitionFor(context);
  const found = def ? defs[def]?.properties?.[name] : undefined;
  if (found) return found;
  // enum value docs: context is the field holding the value
  return defs.state?.properties?.[name] ?? schema.properties?.[name];
}

/** Markdown for a field (or, when `context` names an enum field, for one of its values). */
export function fieldDoc(name: string, context: string, ql: QueryLanguage): string | undefined {
  const direct = aslFieldSchema(name, context, ql);
  if (direct?.markdownDescription) return direct.markdownDescription;
  // value of an enum field: `context` is the field name (Type, QueryLanguage, Mode, ...)
  const holder =
    aslFieldSchema(context, 'State', ql) ??
    aslFieldSchema(context, 'ProcessorConfig', ql) ??
    aslFieldSchema(context, 'Retrier', ql);
  if (holder?.enum && holder.markdownEnumDescriptions) {
    const i = holder.enum.indexOf(name);
    if (i >= 0) return holder.markdownEnumDescriptions[i];
  }
  return undefined;
}

/** Error names an integration can raise (from the integration catalogue), best first. */
export function integrationErrors(
  key: string | undefined,
  service: string | undefined,
  kind: string | undefined,
): { name: string; when: string }[] {
  if (kind === 'sdk' && service) {
    const prefix = service.charAt(0).toUpperCase() + service.slice(1);
    return [
      { name: `${prefix}.SdkClientException`, when: `AWS SDK integration errors are named ${prefix}.<Exception>` },
    ];
  }
  if (!key) return [];
  try {
    return findIntegration(key)?.errors ?? [];
  } catch {
    return [];
  }
}
