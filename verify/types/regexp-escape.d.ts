// Node 24 has RegExp.escape (ES2025), which the harness uses to put literal text in a pattern;
// TypeScript 5.9's libraries do not declare it yet. Remove once `lib` has it.
interface RegExpConstructor {
  escape(text: string): string;
}
