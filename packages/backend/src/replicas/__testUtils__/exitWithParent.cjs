// Preloaded (node --require) into each process the replica test starts: when the test's process
// goes away, for whatever reason, the standard input it holds open closes, and this process
// exits too, so a killed test run leaves no backend behind.
process.stdin.on('end', () => process.exit(1));
process.stdin.on('error', () => process.exit(1));
process.stdin.resume();
// Backstage never reads standard input; this listener must not keep a finished process alive.
process.stdin.unref?.();
