/** State type → handler. */
import type { StateCtx, StepOut } from '../runtime';
import { choice, fail, pass, succeed, wait } from './basic';
import { task } from './task';
import { map } from './map';
import { parallel } from './parallel';

export type StateHandler = (ctx: StateCtx) => StepOut | Promise<StepOut>;

export const STATE_HANDLERS: Record<string, StateHandler> = {
  Pass: pass,
  Succeed: succeed,
  Fail: fail,
  Choice: choice,
  Wait: wait,
  Task: task,
  Map: map,
  Parallel: parallel,
};
