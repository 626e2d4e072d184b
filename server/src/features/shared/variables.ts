/**
 * Where workflow variables are set: the `Assign` blocks of a state, at its top level, in its
 * Choice rules and in its Catchers (https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
 * Completion lists the variables in scope from them, hover names the states that set one.
 */
import { getValue, keysOf } from '../../../../asl/src/parse/tree';
import type { AstNode, MachineModel, StateInfo } from '../../../../asl/src/types';

/** The `Assign` objects of a state (absent ones are undefined). */
export function assignBlocks(state: StateInfo): (AstNode | undefined)[] {
  const blocks = [getValue(state.node, 'Assign')];
  for (const listName of ['Choices', 'Catch']) {
    const list = getValue(state.node, listName);
    for (const item of list?.type === 'array' ? (list.children ?? []) : []) blocks.push(getValue(item, 'Assign'));
  }
  return blocks;
}

/** The states whose Assign sets variable `name`. */
export function variableSources(model: MachineModel, name: string, limit = 20): string[] {
  const out: string[] = [];
  for (const st of model.states) {
    if (assignBlocks(st).some((h) => keysOf(h).some((k) => k === name || k === `${name}.$`))) out.push(st.name);
    if (out.length >= limit) break;
  }
  return out;
}
