/**
 * Follows the `aslState` events of `asl` debug sessions and marks on the graph preview the
 * states their threads are paused before (each Map iteration and Parallel branch is a thread,
 * so several states can be paused at once). A session's marks go when it ends.
 */
import * as vscode from 'vscode';
import type { GraphPreview } from '../graph/index';
import { machineUri } from '../templates';
import { DEBUG_TYPE } from './config';
import { ASL_STATE_EVENT, type AslStateEventBody } from '../../../runner/src/debug/protocol';

interface Tracked {
  uri: vscode.Uri;
  /** thread id -> name of the state it is paused before */
  paused: Map<number, string>;
}

function isStateBody(body: unknown): body is AslStateEventBody {
  const b = body as Partial<AslStateEventBody> | undefined;
  return !!b && Array.isArray(b.statePath) && typeof b.threadId === 'number' && typeof b.status === 'string';
}

/** Starts following debug sessions; dispose to stop. */
export function trackPausedStates(graph: Pick<GraphPreview, 'showPausedStates'>): vscode.Disposable {
  const sessions = new Map<string, Tracked>();
  /** the paused states of every session of `uri` (two sessions may debug one file) */
  const publish = (uri: vscode.Uri): void => {
    const names = new Set<string>();
    for (const t of sessions.values())
      if (t.uri.toString() === uri.toString()) for (const n of t.paused.values()) names.add(n);
    graph.showPausedStates(uri, [...names]);
  };
  return vscode.Disposable.from(
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== DEBUG_TYPE || e.event !== ASL_STATE_EVENT || !isStateBody(e.body)) return;
      const program: unknown = e.session.configuration.program;
      if (typeof program !== 'string') return;
      let t = sessions.get(e.session.id);
      if (!t) {
        // a template's machine has a graph of its own, under its machine uri
        const machine: unknown = e.session.configuration.machine;
        const file = vscode.Uri.file(program);
        sessions.set(
          e.session.id,
          (t = { uri: typeof machine === 'string' ? machineUri(file, machine) : file, paused: new Map() }),
        );
      }
      // names are unique in a machine, so the innermost name identifies the node
      const name = e.body.statePath[e.body.statePath.length - 1];
      if (e.body.status === 'paused' && name !== undefined) t.paused.set(e.body.threadId, name);
      else t.paused.delete(e.body.threadId);
      publish(t.uri);
    }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      const t = sessions.get(s.id);
      if (!t) return;
      sessions.delete(s.id);
      publish(t.uri);
    }),
  );
}
