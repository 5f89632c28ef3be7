import { runPostgres } from './runPostgres';

const USAGE = `usage: cellplane-postgres [--data-dir DIR] [--port PORT] [--exit-with-parent]

Runs a PostgreSQL server on 127.0.0.1 until interrupted, and prints its connection as the
POSTGRES_* variables app-config.postgres.yaml reads. --data-dir keeps the data across runs
(default: a temporary folder, removed on exit). --exit-with-parent stops the server when
stdin closes (startPostgres() runs it so).`;

function parseArguments(args: string[]) {
  const options: { dataDir?: string; port?: number; exitWithParent?: boolean } = {};
  for (let i = 0; i < args.length; i += 1) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (flag === '--exit-with-parent') {
      options.exitWithParent = true;
    } else if (flag === '--data-dir' && value) {
      options.dataDir = value;
      i += 1;
    } else if (flag === '--port' && value && /^\d{1,5}$/.test(value) && Number(value) > 0 && Number(value) < 65536) {
      options.port = Number(value);
      i += 1;
    } else {
      process.stderr.write(`cellplane-postgres: bad argument ${JSON.stringify(flag)}${value ? ` ${JSON.stringify(value)}` : ''}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return options;
}

async function main() {
  const { exitWithParent, ...options } = parseArguments(process.argv.slice(2));
  const server = await runPostgres({ ...options, onLog: line => process.stderr.write(`${line}\n`) });
  process.stdout.write(
    `POSTGRES_HOST=${server.host}\nPOSTGRES_PORT=${server.port}\nPOSTGRES_USER=${server.user}\nPOSTGRES_PASSWORD=${server.password}\n` +
      `CELLPLANE_POSTGRES_DATA_DIR=${server.dataDir}\nREADY\n`,
  );
  const stop = () => {
    server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (exitWithParent) {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
}

main().catch(error => {
  process.stderr.write(`cellplane-postgres: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
