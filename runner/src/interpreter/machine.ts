/**
 * The runnable form of a state machine, compiled once from the asl/ model: per scope, its
 * states by name as typed state definitions (discriminated by `Type`), with what the model
 * already knows resolved ahead of the run — each state's query language, its transition, its
 * history event types and its nested scopes. Running a state then reads only its own fields.
 *
 * Compiled machines are shared by every execution of the same definition, so nothing here is
 * ever written to while a machine runs. They keep plain values only, not the positioned tree:
 * a kept machine costs the memory of its values, not of every node of its text.
 */
import { getValue, nodeValue, propertyEntries } from '../../../asl/src/parse/tree';
import { planPayloadTemplate, type PayloadPlan } from '../../../asl/src/paths/index';
import type { NestedScopeField, StateOfType } from '../../../asl/src/states';
import { isStateType } from '../../../asl/src/states';
import type { AstNode, MachineModel, QueryLanguage, Scope, StateInfo, StateType } from '../../../asl/src/types';
import type { HistoryEventType } from '../history';

/** The fields of each state type without nested scopes (those are compiled into `RunnableState.scopes`). */
type StateBodies = { [T in StateType]: Omit<StateOfType<T>, NestedScopeField> };

/** A state's fields without its nested scopes. */
export type StateBody<T extends StateType = StateType> = StateBodies[T];

/** One state, ready to run. */
export interface RunnableState<T extends StateType = StateType> {
  readonly name: string;
  readonly type: T;
  readonly def: StateBody<T>;
  /** the state's QueryLanguage, else its scope's */
  readonly ql: QueryLanguage;
  /**
   * the state its Next names (the name alone when the scope has no such state), or null when
   * it ends its scope (End, or no Next)
   */
  readonly following: RunnableState | string | null;
  /** the JSONPath payload templates of the state, analysed once (JSONata states have none) */
  readonly payloads: Payloads;
  readonly entered: HistoryEventType;
  /** undefined for Fail states, which have no exit event */
  readonly exited: HistoryEventType | undefined;
  /** Parallel: one scope per branch; Map: its item processor (empty when it has none) */
  readonly scopes: readonly RunnableScope[];
}

/**
 * Planned payload templates: Parameters (Map: ItemSelector, else Parameters), ResultSelector
 * and Assign. Present exactly when the state has the field.
 */
export interface Payloads {
  readonly Parameters?: PayloadPlan;
  readonly ResultSelector?: PayloadPlan;
  readonly Assign?: PayloadPlan;
}

/** A machine, a Parallel branch or a Map item processor. */
export interface RunnableScope {
  readonly startAt: string | undefined;
  readonly states: ReadonlyMap<string, RunnableState>;
  /** states whose Type is not a state type, with the Type they give (failing when reached) */
  readonly unknownTypes: ReadonlyMap<string, unknown>;
  /** a Map processor in DISTRIBUTED mode */
  readonly distributed: boolean;
  /** ProcessorConfig.ExecutionType of a distributed processor: how its child executions run */
  readonly executionType: 'STANDARD' | 'EXPRESS';
}

/** A compiled state machine. */
export interface Machine {
  readonly root: RunnableScope;
  /** the machine's TimeoutSeconds as written (only a positive number takes effect) */
  readonly timeoutSeconds: unknown;
}

const NESTED_SCOPE_FIELDS: ReadonlySet<string> = new Set<NestedScopeField>(['Branches', 'ItemProcessor', 'Iterator']);

const EMPTY_SCOPE: RunnableScope = {
  startAt: undefined,
  states: new Map(),
  unknownTypes: new Map(),
  distributed: false,
  executionType: 'STANDARD',
};

/** Compiles a model (of a document without syntax errors) into a runnable machine. */
export function compileMachine(model: MachineModel): Machine {
  const rootNode = model.doc.root;
  return {
    root: model.root ? compileScope(model.root) : EMPTY_SCOPE,
    timeoutSeconds: nodeValue(getValue(rootNode, 'TimeoutSeconds')),
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function compileScope(scope: Scope): RunnableScope {
  const states = new Map<string, Mutable<RunnableState>>();
  const unknownTypes = new Map<string, unknown>();
  for (const [name, info] of scope.states) {
    const node = info.node;
    // a state that is not an object does not exist; an array is a state without a Type
    if (node.type === 'array') unknownTypes.set(name, undefined);
    if (node.type !== 'object') continue;
    if (isStateType(info.type)) states.set(name, compileState(info, info.type));
    else unknownTypes.set(name, nodeValue(getValue(node, 'Type')));
  }
  // transitions by reference: running a state does not look its successor up by name
  for (const state of states.values()) {
    if (typeof state.following === 'string') state.following = states.get(state.following) ?? state.following;
  }
  const executionType = nodeValue(getValue(getValue(scope.node, 'ProcessorConfig'), 'ExecutionType'));
  return {
    startAt: scope.startAt?.target,
    states,
    unknownTypes,
    distributed: scope.mode === 'DISTRIBUTED',
    executionType: executionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
  };
}

function compileState<T extends StateType>(info: StateInfo, type: T): Mutable<RunnableState<T>> {
  const def = body(info.node);
  def.Type = type;
  return {
    name: info.name,
    type,
    def: def as StateBody<T>,
    ql: info.queryLanguage,
    // the name for now: compileScope links it once every state of the scope exists
    following: def.End === true || typeof def.Next !== 'string' ? null : def.Next,
    payloads: info.queryLanguage === 'JSONPath' ? payloads(type, def) : {},
    entered: `${type}StateEntered`,
    // Fail states end the execution without an exit event
    exited: type === 'Fail' ? undefined : `${type as Exclude<StateType, 'Fail'>}StateExited`,
    scopes:
      type === 'Parallel'
        ? branches(info)
        : type === 'Map'
          ? [info.childScopes[0] ? compileScope(info.childScopes[0]) : EMPTY_SCOPE]
          : [],
  };
}

function payloads(type: StateType, def: Record<string, unknown>): Payloads {
  const out: Mutable<Payloads> = {};
  const parameters = type === 'Map' ? (def.ItemSelector ?? def.Parameters) : def.Parameters;
  if (parameters !== undefined) out.Parameters = planPayloadTemplate(parameters);
  if (def.ResultSelector !== undefined) out.ResultSelector = planPayloadTemplate(def.ResultSelector);
  if (def.Assign !== undefined) out.Assign = planPayloadTemplate(def.Assign);
  return out;
}

/** Every item of Branches in order; an item that is not an object is a branch without states. */
function branches(info: StateInfo): RunnableScope[] {
  const list = getValue(info.node, 'Branches');
  if (list?.type !== 'array') return [];
  const byNode = new Map<AstNode, Scope>(info.childScopes.map((s) => [s.node, s]));
  return (list.children ?? []).map((item) => {
    const scope = byNode.get(item);
    return scope ? compileScope(scope) : EMPTY_SCOPE;
  });
}

/** The plain values of a state's fields, nested scopes left out. */
function body(node: AstNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, , valueNode] of propertyEntries(node)) {
    if (NESTED_SCOPE_FIELDS.has(key)) continue;
    const value = nodeValue(valueNode);
    // defined, not assigned, so a "__proto__" field stays an ordinary field
    if (key === '__proto__')
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}
