/** Expands VS Code snippet syntax with every placeholder at its default (first choice). */
export { expandSnippet } from '../../../asl/src/text/snippet';
