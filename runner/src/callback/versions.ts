/**
 * State machine versions and aliases of `asl-workbench serve`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html,
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html):
 * PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion and
 * Create/Describe/Update/List/DeleteStateMachineAlias. A version ARN is the state machine ARN
 * plus `:<number>`, an alias ARN plus `:<name>`; StartExecution on either runs the version's
 * definition.
 */
import type { Analysis } from '../../../asl/src/analyze';
import { aliasNameProblem } from '../aws/deployment';
import { ApiError, epochSeconds as sec, requiredString, type OpHandler } from './server';

/** What a version keeps of its state machine: the revision it was published from. */
export interface Revision {
  definition: string;
  analysis: Analysis;
  roleArn: string;
}

/** A state machine as versions see it; `revision` changes with every update of the definition or role. */
export interface VersionedMachine extends Revision {
  arn: string;
  name: string;
  revision: number;
}

export interface Version extends Revision {
  arn: string;
  machineArn: string;
  number: number;
  revision: number;
  description?: string;
  creationDate: number;
}

interface Route {
  stateMachineVersionArn: string;
  weight: number;
}

interface Alias {
  arn: string;
  name: string;
  machineArn: string;
  description?: string;
  routing: Route[];
  creationDate: number;
  updateDate: number;
}

/** What StartExecution, DescribeStateMachine and ListExecutions make of a (possibly qualified) state machine ARN. */
export interface Resolved {
  machineArn: string;
  version?: Version;
  alias?: Alias;
}

/** `arn:aws:states:<region>:<account>:stateMachine:<name>` has seven parts; an eighth is a version or alias. */
const MACHINE_ARN_PARTS = 7;

export class VersionStore {
  private readonly versions = new Map<string, Version[]>();
  private readonly aliases = new Map<string, Alias>();

  constructor(private readonly machineOf: (arn: string) => VersionedMachine) {}

  /** The state machine, version or alias an ARN names; an unknown one is StateMachineDoesNotExist / ResourceNotFound. */
  resolve(arn: string): Resolved {
    const parts = arn.split(':');
    if (parts.length <= MACHINE_ARN_PARTS) return { machineArn: this.machineOf(arn).arn };
    const machineArn = parts.slice(0, MACHINE_ARN_PARTS).join(':');
    this.machineOf(machineArn);
    const qualifier = parts.slice(MACHINE_ARN_PARTS).join(':');
    if (/^\d+$/.test(qualifier)) {
      const version = this.versions.get(machineArn)?.find((v) => v.number === Number(qualifier));
      if (!version) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
      return { machineArn, version };
    }
    const alias = this.aliasOf(arn);
    return { machineArn, alias, version: this.route(alias) };
  }

  /** Publishes the machine's current revision; one already published gives its version again, as AWS does. */
  publish(m: VersionedMachine, description?: string): Version {
    const list = this.versions.get(m.arn) ?? [];
    const last = list.at(-1);
    if (last && last.revision === m.revision) return last;
    const number = (last?.number ?? 0) + 1;
    const v: Version = {
      arn: `${m.arn}:${number}`,
      machineArn: m.arn,
      number,
      revision: m.revision,
      definition: m.definition,
      analysis: m.analysis,
      roleArn: m.roleArn,
      description,
      creationDate: Date.now(),
    };
    this.versions.set(m.arn, [...list, v]);
    return v;
  }

  /** Forgets a deleted state machine's versions and aliases. */
  drop(machineArn: string): void {
    this.versions.delete(machineArn);
    for (const [arn, a] of this.aliases) if (a.machineArn === machineArn) this.aliases.delete(arn);
  }

  ops(): Record<string, OpHandler> {
    return {
      PublishStateMachineVersion: (b) => {
        const m = this.machineOf(requiredString(b, 'stateMachineArn'));
        if (typeof b.revisionId === 'string' && b.revisionId !== String(m.revision))
          throw new ApiError('ConflictException', `The revisionId '${b.revisionId}' is not the current revision`);
        const v = this.publish(m, optionalText(b, 'description'));
        return { stateMachineVersionArn: v.arn, creationDate: sec(v.creationDate) };
      },
      ListStateMachineVersions: (b) => {
        const m = this.machineOf(requiredString(b, 'stateMachineArn'));
        const list = [...(this.versions.get(m.arn) ?? [])].reverse();
        return {
          stateMachineVersions: list.map((v) => ({ stateMachineVersionArn: v.arn, creationDate: sec(v.creationDate) })),
        };
      },
      DeleteStateMachineVersion: (b) => {
        const arn = requiredString(b, 'stateMachineVersionArn');
        const { machineArn, version } = this.resolve(arn);
        if (!version) return {};
        const user = [...this.aliases.values()].find((a) => a.routing.some((r) => r.stateMachineVersionArn === arn));
        if (user) throw new ApiError('ConflictException', `Version '${arn}' is referenced by the alias '${user.arn}'`);
        this.versions.set(
          machineArn,
          (this.versions.get(machineArn) ?? []).filter((v) => v !== version),
        );
        return {};
      },
      CreateStateMachineAlias: (b) => {
        const name = requiredString(b, 'name');
        const problem = aliasNameProblem(name);
        if (problem) throw new ApiError('ValidationException', `Invalid alias name: '${name}'. ${problem}`);
        const routing = this.routing(b.routingConfiguration);
        const machineArn = this.resolve(routing[0]!.stateMachineVersionArn).machineArn;
        const arn = `${machineArn}:${name}`;
        const description = optionalText(b, 'description');
        const existing = this.aliases.get(arn);
        if (existing) {
          if (existing.description !== description || JSON.stringify(existing.routing) !== JSON.stringify(routing))
            throw new ApiError('ConflictException', `Alias '${arn}' exists with another configuration`);
          return { stateMachineAliasArn: arn, creationDate: sec(existing.creationDate) };
        }
        const now = Date.now();
        this.aliases.set(arn, { arn, name, machineArn, description, routing, creationDate: now, updateDate: now });
        return { stateMachineAliasArn: arn, creationDate: sec(now) };
      },
      DescribeStateMachineAlias: (b) => {
        const a = this.aliasOf(requiredString(b, 'stateMachineAliasArn'));
        return {
          stateMachineAliasArn: a.arn,
          name: a.name,
          ...(a.description !== undefined ? { description: a.description } : {}),
          routingConfiguration: a.routing,
          creationDate: sec(a.creationDate),
          updateDate: sec(a.updateDate),
        };
      },
      UpdateStateMachineAlias: (b) => {
        const a = this.aliasOf(requiredString(b, 'stateMachineAliasArn'));
        if (b.routingConfiguration === undefined && b.description === undefined)
          throw new ApiError('ValidationException', 'Give a description or a routingConfiguration to update');
        if (b.routingConfiguration !== undefined) {
          const routing = this.routing(b.routingConfiguration);
          if (routing.some((r) => !r.stateMachineVersionArn.startsWith(`${a.machineArn}:`)))
            throw new ApiError('ValidationException', 'The versions of an alias belong to its own state machine');
          a.routing = routing;
        }
        if (b.description !== undefined) a.description = optionalText(b, 'description');
        a.updateDate = Date.now();
        return { updateDate: sec(a.updateDate) };
      },
      ListStateMachineAliases: (b) => {
        const m = this.machineOf(requiredString(b, 'stateMachineArn'));
        const list = [...this.aliases.values()].filter((a) => a.machineArn === m.arn);
        return {
          stateMachineAliases: list.map((a) => ({ stateMachineAliasArn: a.arn, creationDate: sec(a.creationDate) })),
        };
      },
      DeleteStateMachineAlias: (b) => {
        this.aliases.delete(requiredString(b, 'stateMachineAliasArn'));
        return {};
      },
    };
  }

  private aliasOf(arn: string): Alias {
    const a = this.aliases.get(arn);
    if (!a) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
    return a;
  }

  /** The version an execution started on the alias runs: chosen by weight, as AWS does. */
  private route(alias: Alias): Version {
    let pick = Math.random() * 100;
    const chosen = alias.routing.find((r) => (pick -= r.weight) < 0) ?? alias.routing.at(-1)!;
    const version = this.resolve(chosen.stateMachineVersionArn).version;
    if (!version) throw new ApiError('ResourceNotFound', `Resource not found: '${chosen.stateMachineVersionArn}'`);
    return version;
  }

  /** One or two versions of one state machine whose weights add up to 100. */
  private routing(value: unknown): Route[] {
    const invalid = (why: string): ApiError =>
      new ApiError('ValidationException', `Invalid routingConfiguration: ${why}`);
    if (!Array.isArray(value) || value.length < 1 || value.length > 2) throw invalid('give one or two versions');
    const routes = value.map((r: unknown) => {
      const o = (r ?? {}) as Record<string, unknown>;
      if (typeof o.stateMachineVersionArn !== 'string' || typeof o.weight !== 'number')
        throw invalid('each entry needs stateMachineVersionArn and weight');
      const target = this.resolve(o.stateMachineVersionArn);
      if (!target.version || target.alias) throw invalid(`'${o.stateMachineVersionArn}' is not a version`);
      return { stateMachineVersionArn: o.stateMachineVersionArn, weight: o.weight };
    });
    if (routes.reduce((n, r) => n + r.weight, 0) !== 100) throw invalid('the weights add up to 100');
    const machines = new Set(routes.map((r) => this.resolve(r.stateMachineVersionArn).machineArn));
    if (machines.size !== 1) throw invalid('the versions belong to one state machine');
    return routes;
  }
}

function optionalText(b: Record<string, unknown>, key: string): string | undefined {
  return typeof b[key] === 'string' ? b[key] : undefined;
}
