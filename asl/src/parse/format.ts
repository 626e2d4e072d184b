/**
 * Which parser a document needs, from what its editor or its file name says. Its own module
 * because the VS Code client asks too, and must not bundle the parsers for that.
 */
import type { DocumentFormat } from '../types';

const YAML_LANGUAGES = new Set(['asl-yaml', 'yaml']);
const JSON_LANGUAGES = new Set(['asl', 'json', 'jsonc']);

/**
 * The format of a document: its language id when that names JSON or YAML (a user can set
 * an untitled or oddly named buffer to either), else its file name or uri — `.yaml` and
 * `.yml` are YAML, everything else JSON.
 */
export function formatOf(fileOrUri: string, languageId?: string): DocumentFormat {
  const id = languageId?.toLowerCase();
  if (id && YAML_LANGUAGES.has(id)) return 'yaml';
  if (id && JSON_LANGUAGES.has(id)) return 'json';
  return /\.ya?ml$/i.test(fileOrUri) ? 'yaml' : 'json';
}
