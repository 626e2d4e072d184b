/** State type → handler (handed to the runtime by execution.ts). */
import type { StateHandlers } from '../types';
import { choice, fail, pass, succeed, wait } from './basic';
import { task } from './task';
import { map } from './map';
import { parallel } from './parallel';

export const STATE_HANDLERS: StateHandlers = {
  Pass: pass,
  Succeed: succeed,
  Fail: fail,
  Choice: choice,
  Wait: wait,
  Task: task,
  Map: map,
  Parallel: parallel,
};
