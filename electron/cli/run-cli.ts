// The `egm` dispatcher: a plain function so tests run it in-process.
// Command modules are imported lazily so `egm export` never loads the model code.
import { oneLine } from '@core/errors';
import { CliError, type CliCommand, type CliIo } from './command';

const commands: Record<string, () => Promise<CliCommand>> = {
  init: async () => (await import('./commands/init')).initCommand,
  'add-images': async () => (await import('./commands/add-images')).addImagesCommand,
  'remove-images': async () => (await import('./commands/remove-images')).removeImagesCommand,
  import: async () => (await import('./commands/import-coco')).importCommand,
  export: async () => (await import('./commands/export-coco')).exportCommand,
  ground: async () => (await import('./commands/ground')).groundCommand,
  batch: async () => (await import('./commands/batch')).batchCommand,
  eval: async () => (await import('./commands/eval')).evalCommand,
  model: async () => (await import('./commands/model')).modelCommand,
  'prepare-input': async () => (await import('./commands/prepare-input')).prepareInputCommand,
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stderr(await usageText());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    io.stderr(`egm: unknown command '${name}' (try: ${Object.keys(commands).join(', ')})\n`);
    return 2;
  }
  try {
    const command = await load();
    const code = await command.run(rest, io);
    return code ?? 0;
  } catch (err) {
    io.stderr(`egm ${name}: ${oneLine(err)}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}

async function usageText(): Promise<string> {
  const lines = ['usage:'];
  for (const load of Object.values(commands)) {
    try {
      for (const line of (await load()).usage) lines.push(`  egm ${line}`);
    } catch {
      // A command module that fails to load is reported when it is run.
    }
  }
  return `${lines.join('\n')}\n`;
}
