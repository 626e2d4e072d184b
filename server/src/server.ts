/**
 * The asl-workbench language server (dist/serverMain.js, started by dist/server.js). Transport (--stdio / --node-ipc /
 * --socket) is chosen by vscode-languageserver from the command line. Incremental sync; one
 * parse per (uri, version) in DocumentStore; features register themselves from FEATURES.
 */
import {
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  ProposedFeatures,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { DocumentStore, MACHINE_LANGUAGES } from './documents';
import { embeddedConnection, readBesideHost } from './embedded';
import { STARTUP_RESULT_KEY, type ServerStartupTimes } from './protocol';
import { FEATURES, type FeatureContext } from './features';
import { describeError, guard, guardSync } from './safe';
import { RUN_CONFIG_GLOB, substitutionOptions } from './runConfig';
import { DEFAULT_SETTINGS, normalizeSettings, SETTINGS_SECTION, type ServerSettings } from './settings';

/** Creates the connection, wires documents, settings and every feature, and starts listening. */
export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const loadedMs = performance.now();
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  const settingsListeners: (() => void)[] = [];
  let watchRunConfigs = false;
  let formatMachinesOnly = false;
  const documents = new DocumentStore(
    (uri) => ({ machineType: settings.machineType, ...substitutionOptions(uri) }),
    readBesideHost,
  );

  const capabilities: ServerCapabilities = {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  };
  const ctx: FeatureContext = {
    // features answer for state machines inside templates through the embedded layer
    connection: embeddedConnection(connection, documents),
    documents,
    settings: () => settings,
    capabilities,
    onSettingsChanged: (l) => settingsListeners.push(l),
  };
  for (const feature of FEATURES) {
    try {
      feature(ctx);
    } catch (err) {
      // a broken feature must not take the others down
      connection.console.error(`[feature ${feature.name}] ${describeError(err)}`);
    }
  }

  const applySettings = (raw: unknown): void => {
    const next = normalizeSettings(raw);
    if (JSON.stringify(next) === JSON.stringify(settings)) return;
    settings = next;
    for (const l of settingsListeners) l();
  };

  const fetchSettings = async (): Promise<void> => {
    if (!pullConfiguration) return;
    const raw: unknown = await connection.workspace.getConfiguration(SETTINGS_SECTION);
    applySettings(raw);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const startup: ServerStartupTimes = {
      processStart: performance.timeOrigin,
      loadedMs,
      initializeMs: performance.now(),
    };
    pullConfiguration = !!params.capabilities.workspace?.configuration;
    watchRunConfigs = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    const text = params.capabilities.textDocument;
    formatMachinesOnly = !!text?.formatting?.dynamicRegistration && !!text.rangeFormatting?.dynamicRegistration;
    const init = params.initializationOptions as Record<string, unknown> | undefined;
    if (init && typeof init === 'object' && init[SETTINGS_SECTION])
      settings = normalizeSettings(init[SETTINGS_SECTION]);
    // a template's formatter is its language's: formatting is registered for ASL files alone
    // (initialized), so the editor never asks which extension should format a YAML file
    const answered = formatMachinesOnly
      ? { ...capabilities, documentFormattingProvider: undefined, documentRangeFormattingProvider: undefined }
      : capabilities;
    return {
      capabilities: answered,
      serverInfo: { name: 'asl-workbench', version: '0.1.0' },
      [STARTUP_RESULT_KEY]: startup,
    };
  });

  connection.onInitialized(
    guard(connection, 'initialized', undefined, async () => {
      if (formatMachinesOnly) {
        const documentSelector = [...MACHINE_LANGUAGES].map((language) => ({ language }));
        await Promise.all([
          connection.client.register(DocumentFormattingRequest.type, { documentSelector }),
          connection.client.register(DocumentRangeFormattingRequest.type, { documentSelector }),
        ]).catch(() => undefined); // the static capability was not given: without these, no formatting
      }
      if (watchRunConfigs) {
        try {
          await connection.client.register(DidChangeWatchedFilesNotification.type, {
            watchers: [{ globPattern: RUN_CONFIG_GLOB }],
          });
        } catch {
          /* without the watcher, a changed run config is read at the next edit of a machine */
        }
      }
      if (pullConfiguration) {
        try {
          await connection.client.register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION });
        } catch {
          /* client does not support dynamic registration; didChangeConfiguration still arrives */
        }
        await fetchSettings();
      }
    }),
  );

  connection.onDidChangeConfiguration(
    guard(connection, 'didChangeConfiguration', undefined, async (change) => {
      if (pullConfiguration) await fetchSettings();
      else applySettings((change.settings as Record<string, unknown> | undefined)?.[SETTINGS_SECTION]);
    }),
  );

  // the run config's substitutions are part of what validation reads: revalidate like a settings change
  connection.onDidChangeWatchedFiles(
    guardSync(connection, 'didChangeWatchedFiles', () => {
      for (const l of settingsListeners) l();
    }),
  );

  connection.onDidOpenTextDocument(
    guardSync(connection, 'didOpen', (p) =>
      documents.open(p.textDocument.uri, p.textDocument.languageId, p.textDocument.version, p.textDocument.text),
    ),
  );
  connection.onDidChangeTextDocument(
    guardSync(connection, 'didChange', (p) =>
      documents.change(p.textDocument.uri, p.textDocument.version, p.contentChanges),
    ),
  );
  connection.onDidCloseTextDocument(guardSync(connection, 'didClose', (p) => documents.close(p.textDocument.uri)));

  process.on('uncaughtException', (err) => connection.console.error(`[uncaught] ${describeError(err)}`));
  process.on('unhandledRejection', (err) => connection.console.error(`[unhandledRejection] ${describeError(err)}`));

  connection.listen();
}

startServer();
