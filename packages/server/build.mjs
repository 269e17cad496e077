// Bundles the server's own TypeScript (server, core, contracts) into dist/cli.mjs with esbuild;
// npm packages stay external. A bundle starts in a fraction of the time tsx needs (ADR 0002).
import { build } from 'esbuild';

export async function buildServer() {
  await build({
    entryPoints: [new URL('./src/cli.ts', import.meta.url).pathname],
    outfile: new URL('./dist/cli.mjs', import.meta.url).pathname,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [
      {
        name: 'external-npm-packages',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@verity/') ? undefined : { path: args.path, external: true }));
        },
      },
    ],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildServer();
