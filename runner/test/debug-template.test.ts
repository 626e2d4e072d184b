/**
 * The debug adapter on state machines held in templates (launch arguments `program` = the
 * template and `machine` = its logical id or Terraform address): breakpoints set on the
 * template's lines stop in the state those lines belong to, stack frames show the template
 * and its lines, placeholders take the values `asl-workbench run` gives them, and one nothing
 * gives a value stops the launch with an error naming it.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEBUG_FIXTURES, lineOf, sessionPerTest } from './debug-helpers';

const TEMPLATES = path.join(DEBUG_FIXTURES, 'templates');
const CFN = path.join(TEMPLATES, 'greet.template.yaml');
const TF = path.join(TEMPLATES, 'main.tf');

const start = sessionPerTest();

describe('debug adapter: a state machine in a template', () => {
  it('stops at a breakpoint on a template line inside a state, with the template and its line in the stack frame', async () => {
    const s = await start();
    // a line inside the state's text, below its name: the breakpoint moves to the name
    const inside = lineOf(CFN, 'message.$: States.Format');
    const [bp] = await s.launch({ program: CFN, machine: 'Greet' }, { breakpoints: [{ line: inside }] });
    assert.deepEqual([bp?.verified, bp?.line], [true, lineOf(CFN, '          Greet:')]);
    const stop = await s.nextStop();
    assert.equal(stop.reason, 'breakpoint');
    const [top] = await s.frames(stop.threadId!);
    assert.equal(top?.name, 'Greet');
    assert.equal(top?.source?.path, CFN);
    assert.equal(top?.line, lineOf(CFN, '          Greet:'));
    // the template's literal DefinitionSubstitutions value is in the state's input
    assert.equal((await s.scope(top!.id, 'Input')).get('greeting')?.value, '"hello"');
    await s.dc.continueRequest({ threadId: stop.threadId! });
    assert.match(await s.ended(), /Execution SUCCEEDED .*output \{"message":"hello there"\}/);
  });

  it('runs the only state machine of a Terraform file and stops at a breakpoint on its jsonencode lines', async () => {
    const s = await start();
    const [bp] = await s.launch(
      { program: TF },
      { breakpoints: [{ line: lineOf(TF, 'greeting = "${var.greeting}"') }] },
    );
    assert.deepEqual([bp?.verified, bp?.line], [true, lineOf(TF, 'Prepare = {')]);
    const stop = await s.nextStop();
    const [top] = await s.frames(stop.threadId!);
    assert.deepEqual([top?.name, top?.source?.path, top?.line], ['Prepare', TF, lineOf(TF, 'Prepare = {')]);
    await s.dc.continueRequest({ threadId: stop.threadId! });
    assert.match(await s.ended(), /Execution SUCCEEDED .*output \{"message":"hi there"\}/);
  });

  it('refuses to launch a machine whose placeholder has no value, naming it', async () => {
    const s = await start();
    await assert.rejects(
      s.launch({ program: CFN, machine: 'Lookup' }),
      /Lookup in greet\.template\.yaml has no value for the placeholder 'TableName': give it one in the "substitutions" of the run config/,
    );
    await s.ended();
  });

  it('takes the value of such a placeholder from the run config the launch carries', async () => {
    const s = await start();
    await s.launch({ program: CFN, machine: 'Lookup', runConfig: { substitutions: { TableName: 'orders' } } });
    assert.match(await s.ended(), /Execution SUCCEEDED .*output \{"table":"orders"\}/);
  });

  it('asks which machine when the template holds several and none is named', async () => {
    const s = await start();
    await assert.rejects(
      s.launch({ program: CFN }),
      /greet\.template\.yaml holds 2 state machines \(Greet, Lookup\): choose one with the launch argument 'machine'/,
    );
    await s.ended();
  });
});
