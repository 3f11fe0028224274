// One contender for data directories, in its own process. For the i-th directory it waits until the
// wall-clock time start + i × gap (so that several contenders start each round together), tries to
// take its lock, and keeps any lock it gets until its stdin closes, so that two holders of one
// directory are both holding at the end. Prints one JSON array: "held" or "refused: <reason>" per
// directory.
// Usage: node lockContender.mjs <compiled dataDirectoryLock.js> <start, ms since epoch> <gap, ms> <directory>...
const [modulePath, start, gap, ...directories] = process.argv.slice(2);
const { lockDataDirectory } = await import(modulePath);
const releases = [];
const answers = [];
for (const [round, directory] of directories.entries()) {
  const startAt = Number(start) + round * Number(gap);
  while (Date.now() < startAt) {
    // Spin instead of sleeping, so that the contenders really start together.
  }
  try {
    releases.push(await lockDataDirectory(directory));
    answers.push("held");
  } catch (error) {
    answers.push(`refused: ${error.message}`);
  }
}
process.stdout.write(`${JSON.stringify(answers)}\n`);
process.stdin.resume();
process.stdin.on("end", async () => {
  for (const release of releases) await release();
  process.exit(0);
});
