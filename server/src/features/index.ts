/**
 * The feature registry: each language feature is one function that registers its handlers on
 * the connection. server.ts calls every entry once after creating the connection, so a
 * feature is added by one line in FEATURES and touches no other feature.
 */
import type { Connection, ServerCapabilities } from 'vscode-languageserver/node';
import type { DocumentStore } from '../documents';
import type { ServerSettings } from '../settings';
import { diagnostics } from './diagnostics';
import { completion } from './completion';
import { hover } from './hover';
import { navigation } from './navigation';
import { rename } from './rename';
import { symbols } from './symbols';
import { folding } from './folding';
import { formatting } from './formatting';
import { codeActions } from './codeActions';
import { iam } from './iam';
import { stateGraph } from './stateGraph';
import { machines } from './machines';

export interface FeatureContext {
  connection: Connection;
  documents: DocumentStore;
  /** current settings (machineType, iam region/account, ...) */
  settings(): ServerSettings;
  /**
   * The capabilities returned from `initialize`: a feature adds its provider here when it is
   * registered (e.g. `ctx.capabilities.hoverProvider = true`). Read after all features ran.
   */
  capabilities: ServerCapabilities;
  /** called after the settings changed (already applied to `settings()`) */
  onSettingsChanged(listener: () => void): void;
}

export type Feature = (ctx: FeatureContext) => void;

export const FEATURES: Feature[] = [
  diagnostics,
  completion,
  hover,
  navigation,
  rename,
  symbols,
  folding,
  formatting,
  codeActions,
  iam,
  stateGraph,
  machines,
];
