// Lets plain tsc (the root typecheck) understand rune modules (*.svelte.ts) and .svelte imports.
/// <reference types="svelte" />
