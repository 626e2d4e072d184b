// Types of _generate.mjs for TypeScript tests that reuse its generators.

/** A chain of n states; the text and the offset of a Comment to edit. */
export function generateMachine(n: number): { text: string; commentAt: number };

/** An editor-scale chain of n top-level ECS Task/Pass states with Choices and Parallels; the text, a Comment to edit, the counts. */
export function generateEditorMachine(n: number): { text: string; commentAt: number; topLevel: number; states: number };

/** A YAML machine of n ECS Task states sharing anchored blocks through aliases and `<<` merges. */
export function generateAliasMachine(n: number): string;

/** A machine nested `depth` states deep, Map and Parallel states alternating. */
export function generateNestedMachine(depth: number): unknown;
