// The time to import one package alone in a fresh process (Node's own start-up excluded).
// argv[2]: the package name. Prints milliseconds.
const started = performance.now();
await import(process.argv[2]!);
process.stdout.write(`${performance.now() - started}\n`);
process.exit(0);
