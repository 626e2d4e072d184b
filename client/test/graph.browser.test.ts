/**
 * The graph webview bundle (dist/webview.js + dist/elkWorker.js) in Debian's Chromium, in a
 * harness page that plays the VS Code host under the webview's CSP: renders every example and
 * a generated 500-state machine, checks counts and overlaps, reveal on click and Enter,
 * keyboard navigation, highlight, overlay, test coverage marks, stale versions, the unparseable banner, exports,
 * and that nothing violates the CSP. Screenshots: artifacts/graph/.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { buildGraph } from '../../asl/src/graph/build';
import type { StateGraph } from '../../asl/src/graph/types';
import { buildModel } from '../../asl/src/model';
import { parseDocument } from '../../asl/src/parse';
import { graphCsp } from '../src/graph/csp';
import type { GraphMessage, HostToWebview, WebviewToHost } from '../src/graph/messages';
import { generateMachine } from './fixtures/graph/generate-machine.mjs';
import {
  CHROMIUM,
  launchChromium,
  openHarness,
  OVERLAPS_IN_PAGE,
  renderGraph,
  ROOT,
  startHarness,
} from './fixtures/graph/harness.mjs';

const ARTIFACTS = path.join(ROOT, 'artifacts', 'graph');

function examples(): string[] {
  const dir = path.join(ROOT, 'examples');
  return fs
    .readdirSync(dir)
    .flatMap((d) => ['state-machine.asl.json', 'state-machine.asl.yaml'].map((f) => path.join(dir, d, f)))
    .filter((f) => fs.existsSync(f))
    .sort();
}

function graphOfText(text: string, format: 'json' | 'yaml'): StateGraph {
  return buildGraph(buildModel(parseDocument(text, format)));
}

let versionCounter = 100;
function graphMessage(graph: StateGraph, uri = 'file:///test.asl.json', version = ++versionCounter): GraphMessage {
  return { type: 'graph', uri, version, graph };
}

async function send(page: Page, m: HostToWebview): Promise<void> {
  await page.evaluate((msg) => window.postMessage(msg, '*'), m);
}
async function posted(page: Page): Promise<WebviewToHost[]> {
  return page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted);
}
/** Waits until the webview posted a message whose fields include all of `want`. */
async function waitPosted(page: Page, want: Record<string, unknown>): Promise<void> {
  await page.waitForFunction(
    (w) =>
      (window as unknown as { __posted: Record<string, unknown>[] }).__posted.some((m) =>
        Object.keys(w).every((k) => m[k] === w[k]),
      ),
    want,
    { timeout: 20_000 },
  );
}

/** Pairs of drawn node boxes (state, scope, marker) that overlap, ignoring ancestor/descendant pairs. */
async function overlaps(page: Page, graph: StateGraph): Promise<string[]> {
  const parents: Record<string, string | undefined> = Object.fromEntries(graph.nodes.map((n) => [n.id, n.parent]));
  return page.evaluate(`(${OVERLAPS_IN_PAGE})(${JSON.stringify(parents)})`) as Promise<string[]>;
}

async function counts(page: Page): Promise<{ states: number; edges: number; markers: number; scopes: number }> {
  return page.evaluate(() => ({
    states: document.querySelectorAll('#canvas g.node.state').length,
    edges: document.querySelectorAll('#canvas g.edge').length,
    markers: document.querySelectorAll('#canvas g.marker').length,
    scopes: document.querySelectorAll('#canvas g.node.scope').length,
  }));
}

function expectedCounts(g: StateGraph): { states: number; edges: number; markers: number; scopes: number } {
  return {
    states: g.nodes.filter((n) => n.kind === 'state').length,
    edges: g.edges.length,
    markers: g.nodes.filter((n) => n.kind === 'start' || n.kind === 'end').length,
    scopes: g.nodes.filter((n) => n.kind === 'scope').length,
  };
}

describe('graph webview in Chromium', () => {
  let harness: Awaited<ReturnType<typeof startHarness>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let context: BrowserContext;
  const pages: { page: Page; consoleErrors: string[]; name: string }[] = [];

  const open = async (name: string): Promise<Page> => {
    const h = await openHarness(context, harness.url);
    pages.push({ ...h, name });
    return h.page;
  };

  before(async () => {
    // the test set-up (e2e/install-vscode.sh) installs Chromium: without it this fails, not skips
    assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: run bash scripts/setup-test-env.sh`);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    harness = await startHarness((nonce) => graphCsp("'self'", nonce));
    browser = await launchChromium();
    context = browser.context;
  });

  after(async () => {
    await browser?.close();
    await harness?.close();
  });

  for (const file of examples()) {
    const name = path.basename(path.dirname(file));
    it(`renders the example ${name} with every node and edge, without overlaps`, async () => {
      const page = await open(name);
      const graph = graphOfText(fs.readFileSync(file, 'utf8'), file.endsWith('.yaml') ? 'yaml' : 'json');
      assert.equal(graph.problem, undefined);
      const message = graphMessage(graph, `file://${file}`);
      const r = await renderGraph(page, message);
      assert.equal(r.type, 'rendered', JSON.stringify(r));
      assert.equal(r.engine, 'fast', 'every graph is drawn at once with the linear-time layout');
      assert.deepEqual(await counts(page), expectedCounts(graph));
      assert.deepEqual(await overlaps(page, graph), []);
      // then elkjs refines it, with every node and edge still there
      await page.waitForFunction(
        (v) =>
          (window as unknown as { __posted: { type: string; version: number; engine?: string }[] }).__posted.some(
            (m) => m.type === 'rendered' && m.version === v && m.engine === 'elk',
          ),
        message.version,
        { timeout: 60_000 },
      );
      assert.deepEqual(await counts(page), expectedCounts(graph));
      assert.deepEqual(await overlaps(page, graph), []);
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
    });
  }

  it('renders a generated 500-state machine without overlaps', async () => {
    const page = await open('generated-500');
    const graph = graphOfText(JSON.stringify(generateMachine(500)), 'json');
    const message = graphMessage(graph, 'file:///generated-500.asl.json');
    const r = await renderGraph(page, message, 120_000);
    assert.equal(r.type, 'rendered', JSON.stringify(r));
    assert.equal(r.engine, 'fast', 'a big graph is drawn at once with the linear-time layout');
    const c = await counts(page);
    assert.deepEqual(c, expectedCounts(graph));
    assert.ok(c.states >= 500);
    assert.deepEqual(await overlaps(page, graph), []);
    // then elkjs refines it in the worker
    await page.waitForFunction(
      (v) =>
        (window as unknown as { __posted: { type: string; version: number; engine?: string }[] }).__posted.some(
          (m) => m.type === 'rendered' && m.version === v && m.engine === 'elk',
        ),
      message.version,
      { timeout: 180_000 },
    );
    assert.deepEqual(await counts(page), expectedCounts(graph));
    assert.deepEqual(await overlaps(page, graph), []);
    await page.screenshot({ path: path.join(ARTIFACTS, 'generated-500.png') });
  });

  describe('interactions on all-types', () => {
    let page: Page;
    let graph: StateGraph;
    const uri = 'file:///all-types.asl.json';
    const sel = (id: string): string => `#canvas g.node.state[data-id="${id}"]`;

    before(async () => {
      page = await open('interactions');
      graph = graphOfText(
        fs.readFileSync(path.join(ROOT, 'asl/test/fixtures/graph/all-types.asl.json'), 'utf8'),
        'json',
      );
      await renderGraph(page, graphMessage(graph, uri, 1));
    });

    it('exposes states as focusable buttons with accessible labels', async () => {
      const label = await page.getAttribute(sel('Run task'), 'aria-label');
      assert.equal(label, 'Task state Run task, ecs:runTask.sync, 2 retry rules');
      assert.equal(await page.getAttribute(sel('Run task'), 'role'), 'button');
      assert.equal(await page.getAttribute(sel('Run task'), 'tabindex'), '0');
      assert.equal(await page.locator(`${sel('Run task')} .icon.ecs`).count(), 1, 'ECS icon');
      assert.equal(await page.locator(`${sel('Fan out/ItemProcessor/Job')} .icon.eks`).count(), 1, 'EKS icon');
    });

    it('posts a reveal message with the state range when a node is clicked', async () => {
      await page.click(sel('Pause'));
      await waitPosted(page, { type: 'reveal', nodeId: 'Pause' });
      const reveal = (await posted(page)).find((m) => m.type === 'reveal' && m.nodeId === 'Pause');
      assert.deepEqual(
        reveal && reveal.type === 'reveal' ? reveal.range : undefined,
        graph.nodes.find((n) => n.id === 'Pause')!.range,
      );
    });

    it('moves between nodes with the arrow keys and reveals with Enter', async () => {
      await page.focus(sel('Prepare'));
      await page.keyboard.press('ArrowDown');
      const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-id'));
      assert.equal(focused, 'Run task');
      await page.keyboard.press('Enter');
      await waitPosted(page, { type: 'reveal', nodeId: 'Run task' });
    });

    it('highlights the node of the editor cursor', async () => {
      await send(page, { type: 'highlight', nodeId: 'Route' });
      await page.waitForSelector(`${sel('Route')}.highlighted`, { timeout: 5000 });
      await send(page, { type: 'highlight', nodeId: null });
      await page.waitForSelector(`${sel('Route')}:not(.highlighted)`, { timeout: 5000 });
    });

    it('colours nodes by run status and shows Map/Parallel counters (synthetic overlay)', async () => {
      const stroke = (id: string): Promise<string> =>
        page.$eval(`${sel(id)} > .shape`, (e) => getComputedStyle(e).stroke);
      const before = { prepare: await stroke('Prepare'), run: await stroke('Run task') };
      await send(page, {
        type: 'overlay',
        version: 1,
        states: {
          Prepare: { status: 'succeeded' },
          'Run task': { status: 'failed' },
          Pause: { status: 'caught' },
          Route: { status: 'retried' },
          'Fan out': { status: 'running', iterations: { total: 10, succeeded: 6, failed: 1, running: 3 } },
          Both: { status: 'aborted', iterations: { total: 2, succeeded: 1, failed: 0, running: 1 } },
          Done: { status: 'notStarted' },
        },
      });
      await page.waitForSelector(`${sel('Prepare')}.status-succeeded`, { timeout: 5000 });
      for (const [id, s] of [
        ['Run task', 'failed'],
        ['Pause', 'caught'],
        ['Route', 'retried'],
        ['Fan out', 'running'],
        ['Both', 'aborted'],
        ['Done', 'notStarted'],
      ]) {
        assert.ok(await page.$(`${sel(id)}.status-${s}`), `${id} has status-${s}`);
      }
      assert.notEqual(await stroke('Prepare'), before.prepare, 'succeeded changes the colour');
      assert.notEqual(await stroke('Run task'), before.run, 'failed changes the colour');
      assert.notEqual(await stroke('Prepare'), await stroke('Run task'), 'succeeded and failed differ');
      assert.equal(await page.textContent(`${sel('Fan out')} > .counter`), '7/10 ▶3 ✗1');
      assert.match((await page.getAttribute(sel('Fan out'), 'aria-label')) ?? '', /status running, iterations 7\/10/);
      await page.screenshot({ path: path.join(ARTIFACTS, 'overlay.png') });
      await send(page, { type: 'overlay', states: {} });
      await page.waitForSelector(`${sel('Prepare')}:not(.status-succeeded)`, { timeout: 5000 });
      // plain state names are accepted as keys too (nested: "Job" for "Fan out/ItemProcessor/Job")
      await send(page, { type: 'overlay', states: { Job: { status: 'running' } } });
      await page.waitForSelector(`${sel('Fan out/ItemProcessor/Job')}.status-running`, { timeout: 5000 });
      await send(page, { type: 'overlay', states: {} });
      assert.equal(await page.textContent(`${sel('Fan out')} > .counter`), '');
    });

    it('marks breakpoints and paused states; the breakpoint dot and F9 ask the host to toggle one', async () => {
      const stroke = (id: string): Promise<string> =>
        page.$eval(`${sel(id)} > .shape`, (e) => getComputedStyle(e).stroke);
      const before = await stroke('Pause');
      // paused states may be node ids or plain state names (nested: "Job")
      await send(page, {
        type: 'debugMarks',
        breakpoints: ['Run task', 'Fan out/ItemProcessor/Job'],
        paused: ['Pause', 'Job'],
      });
      await page.waitForSelector(`${sel('Run task')}.breakpoint`, { timeout: 5000 });
      assert.ok(await page.$(`${sel('Fan out/ItemProcessor/Job')}.breakpoint.debug-paused`));
      assert.ok(await page.$(`${sel('Pause')}.debug-paused:not(.breakpoint)`));
      assert.notEqual(await stroke('Pause'), before, 'a paused state changes colour');
      assert.match((await page.getAttribute(sel('Run task'), 'aria-label')) ?? '', /, breakpoint$/);
      assert.match((await page.getAttribute(sel('Pause'), 'aria-label')) ?? '', /, paused in the debugger$/);
      const dotFill = (id: string): Promise<string> =>
        page.$eval(`${sel(id)} > .bp-dot`, (e) => getComputedStyle(e).fill);
      assert.notEqual(await dotFill('Run task'), await dotFill('Prepare'), 'the dot shows where a breakpoint is');
      await page.screenshot({ path: path.join(ARTIFACTS, 'debug-marks.png') });
      await page.click(`${sel('Prepare')} > .bp-dot`);
      await waitPosted(page, { type: 'toggleBreakpoint', nodeId: 'Prepare' });
      assert.ok(
        !(await posted(page)).some((m) => m.type === 'reveal' && m.nodeId === 'Prepare'),
        'the dot does not reveal the state',
      );
      await page.focus(sel('Route'));
      await page.keyboard.press('F9');
      await waitPosted(page, { type: 'toggleBreakpoint', nodeId: 'Route' });
      await send(page, { type: 'debugMarks', breakpoints: [], paused: [] });
      await page.waitForSelector(`${sel('Run task')}:not(.breakpoint)`, { timeout: 5000 });
      assert.equal(await page.locator('#canvas g.node.debug-paused').count(), 0);
    });

    it('drops stale versions and keeps the viewport on updates', async () => {
      await page.click('#zoom-in');
      const t1 = await page.getAttribute('#canvas .viewport', 'transform');
      const smaller = {
        ...graph,
        nodes: graph.nodes.filter((n) => n.id !== 'Failed'),
        edges: graph.edges.filter((e) => e.target !== 'Failed' && e.source !== 'Failed'),
      };
      await renderGraph(page, graphMessage(smaller, uri, 5));
      assert.equal(await page.locator(sel('Failed')).count(), 0);
      assert.equal(await page.getAttribute('#canvas .viewport', 'transform'), t1, 'viewport kept');
      await send(page, graphMessage(graph, uri, 3)); // older than 5: dropped
      await renderGraph(page, graphMessage(smaller, uri, 6));
      const versions = (await posted(page))
        .filter((m) => m.type === 'rendered')
        .map((m) => (m.type === 'rendered' ? m.version : -1));
      assert.ok(!versions.includes(3), `version 3 was not rendered (${versions.join(',')})`);
      assert.equal(await page.locator(sel('Failed')).count(), 0);
    });

    it('keeps the last good graph with a banner while the document does not parse', async () => {
      const broken = graphOfText('{ "StartAt": "A", "States": { "A": { "Type": "Pass" ', 'json');
      assert.ok(broken.problem);
      await renderGraph(page, graphMessage(broken, uri, 7));
      assert.equal(await page.isVisible('#banner'), true);
      assert.match(
        (await page.textContent('#banner')) ?? '',
        /^Syntax error at line 1: .*\. Showing the last graph that parsed \((just now|\d+ s ago)\); it updates when the document parses again\.$/,
      );
      assert.ok(await page.$(sel('Run task')), 'the previous graph is still drawn');
      await page.screenshot({ path: path.join(ARTIFACTS, 'unparseable-banner.png') });
      await renderGraph(page, graphMessage(graph, uri, 8));
      assert.equal(await page.isVisible('#banner'), false);
    });

    it('exports SVG and PNG through messages to the host', async () => {
      await page.click('#export-svg');
      await waitPosted(page, { type: 'export', format: 'svg' });
      await page.click('#export-png');
      await waitPosted(page, { type: 'export', format: 'png' });
      const exports = (await posted(page)).filter((m) => m.type === 'export');
      const svg = exports.find((m) => m.type === 'export' && m.format === 'svg');
      const png = exports.find((m) => m.type === 'export' && m.format === 'png');
      assert.ok(
        svg && svg.type === 'export' && svg.data.startsWith('<svg') && svg.data.includes('<style>'),
        'standalone SVG with its colours',
      );
      assert.ok(!svg.data.includes('var(--vscode'), 'theme variables resolved to colours');
      assert.ok(png && png.type === 'export');
      const bytes = Buffer.from(png.data, 'base64');
      assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
      fs.writeFileSync(path.join(ARTIFACTS, 'export.png'), bytes);
    });

    it('describes what it draws when the host asks (used by the e2e tests)', async () => {
      await send(page, { type: 'overlay', states: { Pause: { status: 'running' } } });
      await send(page, { type: 'describe', requestId: 42 });
      await waitPosted(page, { type: 'description', requestId: 42 });
      const d = (await posted(page)).find((m) => m.type === 'description' && m.requestId === 42);
      assert.ok(d && d.type === 'description');
      assert.equal(d.nodes.length, graph.nodes.filter((n) => n.kind === 'state').length);
      assert.ok(d.nodes.find((n) => n.id === 'Pause')?.classes.includes('status-running'));
      assert.equal(d.edges, graph.edges.length);
      await send(page, { type: 'overlay', states: {} });
    });

    it('marks test coverage: hatched uncovered states, hit badges, untaken edges, legend, hide, and through edits', async () => {
      const fill = (id: string): Promise<string> => page.$eval(`${sel(id)} > .shape`, (e) => getComputedStyle(e).fill);
      const plain = await fill('Both/Branches[0]/Left');
      const run = 'the coverage run of 10:00:00';
      const catchEdge = graph.edges.find((e) => e.source === 'Run task' && e.kind === 'catch')!.id;
      await send(page, {
        type: 'coverage',
        coverage: {
          run,
          states: [
            { name: 'Prepare', hits: 1 },
            { name: 'Run task', hits: 3 },
            { name: 'Failed', hits: 0 },
            { name: 'Left', hits: 0 },
          ],
          transitions: [
            { from: 'Prepare', to: 'Run task', via: 'Next', hits: 1 },
            { from: 'Run task', to: 'Failed', via: 'Catch[0]', hits: 0 },
          ],
        },
      });
      await page.waitForSelector(`${sel('Failed')}.cov-uncovered`, { timeout: 5000 });
      assert.ok(await page.$(`${sel('Both/Branches[0]/Left')}.cov-uncovered`), 'a state inside a Parallel branch');
      assert.equal(await page.textContent(`${sel('Run task')} > .cov-badge`), '3×');
      assert.equal(await page.textContent(`${sel('Failed')} > title`), `Failed: not covered by ${run}`);
      assert.match((await page.getAttribute(sel('Failed'), 'aria-label')) ?? '', new RegExp(`not covered by ${run}$`));
      assert.match(await fill('Both/Branches[0]/Left'), /url\(/, 'uncovered states are hatched');
      assert.notEqual(await fill('Both/Branches[0]/Left'), plain);
      assert.ok(await page.$(`#canvas g.edge.cov-uncovered[data-id="${catchEdge}"]`), 'the Catch edge no test took');
      assert.equal(await page.isVisible('#coverage-legend'), true);
      assert.equal(
        await page.textContent('#coverage-text'),
        `2/4 states, 1/2 transitions covered by ${run}`,
        'the legend counts what the report and the graph share',
      );
      await page.screenshot({ path: path.join(ARTIFACTS, 'coverage.png') });
      // a run overlay keeps its colours; coverage stays as outline, badge and tooltip
      await send(page, { type: 'overlay', states: { Failed: { status: 'failed' } } });
      await page.waitForSelector(`${sel('Failed')}.status-failed.cov-uncovered`, { timeout: 5000 });
      assert.doesNotMatch(await fill('Failed'), /url\(/);
      assert.equal(await page.isVisible('#coverage-note'), true);
      await send(page, { type: 'overlay', states: {} });
      // hidden with the toolbar toggle, shown again
      await page.click('#coverage-toggle');
      await page.waitForSelector(`${sel('Failed')}:not(.cov-uncovered)`, { timeout: 5000 });
      assert.equal(await page.isVisible('#coverage-legend'), false);
      assert.equal(await page.textContent('#coverage-toggle'), 'Show coverage');
      await page.click('#coverage-toggle');
      await page.waitForSelector(`${sel('Failed')}.cov-uncovered`, { timeout: 5000 });
      // an edit: the marks follow the states still there
      const edited = graphOfText(
        JSON.stringify({
          StartAt: 'Prepare',
          States: {
            Prepare: { Type: 'Pass', Next: 'Run task' },
            'Run task': { Type: 'Pass', Next: 'Added' },
            Added: { Type: 'Succeed' },
          },
        }),
        'json',
      );
      await renderGraph(page, graphMessage(edited, uri, 9));
      assert.equal(await page.textContent(`${sel('Run task')} > .cov-badge`), '3×');
      assert.equal(await page.locator(`${sel('Added')}.cov-covered, ${sel('Added')}.cov-uncovered`).count(), 0);
      await renderGraph(page, graphMessage(graph, uri, 10));
      await page.waitForSelector(`${sel('Failed')}.cov-uncovered`, { timeout: 5000 });
      await send(page, { type: 'coverage', coverage: null });
      await page.waitForSelector(`${sel('Failed')}:not(.cov-uncovered)`, { timeout: 5000 });
      assert.equal(await page.locator('#canvas .cov-badge').count(), 0);
      assert.equal(await page.isVisible('#coverage-toggle'), false);
    });

    it('persists the document uri for the serializer', async () => {
      assert.deepEqual(await page.evaluate(() => (window as unknown as { __state: unknown }).__state), { uri });
    });
  });

  it('produced no CSP violation and no console error on any page', async () => {
    assert.ok(pages.length > 0);
    for (const p of pages) {
      const { violations, errors } = await p.page.evaluate(() => ({
        violations: (window as unknown as { __violations: string[] }).__violations,
        errors: (window as unknown as { __errors: string[] }).__errors,
      }));
      assert.deepEqual(violations, [], `${p.name}: CSP violations`);
      assert.deepEqual([...errors, ...p.consoleErrors], [], `${p.name}: errors`);
      assert.deepEqual(
        (await posted(p.page)).filter((m) => m.type === 'error'),
        [],
        `${p.name}: webview error messages`,
      );
    }
  });
});
