// Runs `egm` in this process like the real binary (stdout, stderr, exit code)
// and then reports its peak resident memory on stderr as `maxrss_mb=<n>`, so a
// test can check what an answer cost the CLI (issue 8: a 48 MB answer).
//   node --import tsx test/helpers/cli-rss-child.ts ground <image> ...
import { runCli } from '../../electron/cli/run-cli';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => { process.stdout.write(text); },
  stderr: (text) => { process.stderr.write(text); },
  env: process.env,
  cwd: process.cwd(),
});
process.stderr.write(`maxrss_mb=${(process.resourceUsage().maxRSS / 1024).toFixed(1)}\n`);
process.exitCode = code;
