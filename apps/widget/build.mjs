// Builds the storefront widget into dist/: the loader `widget.js` (an IIFE that knows its
// chunks' file names), one hashed file per chunk (`panel-<hash>.js`, …) and manifest.json.
// `node build.mjs [outDir]`; the server runs buildWidget() at start when dist/ is stale.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * The chunks the loader can load by name (`ctx.load(name)`), each a `window.__lojal.define`
 * call. On-site features add theirs here; their sources live in src/<name>/.
 */
export const ENTRIES = [
  { name: 'panel', entry: 'src/panel/index.tsx' },
  { name: 'popups', entry: 'src/popups/index.ts' },
  { name: 'social-proof', entry: 'src/social-proof/index.ts' },
  { name: 'reviews', entry: 'src/reviews/index.tsx' },
];

/** The loader's and the panel's gzip budgets (issue 15; Shopify's theme-check for the loader). */
export const BUDGETS = { loader: 10_240, panel: 35_840 };

const TARGET = 'es2020';

/** `import css from './x.css'` → the style sheet, minified, as a string. */
const cssAsText = {
  name: 'css-as-text',
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const { code } = await esbuild.transform(source, {
        loader: 'css',
        minify: true,
        target: ['chrome90', 'safari14', 'firefox90'],
      });
      return { contents: `export default ${JSON.stringify(code.trim())};`, loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  minify: true,
  format: 'iife',
  target: TARGET,
  platform: 'browser',
  legalComments: 'none',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [cssAsText],
  logLevel: 'warning',
  absWorkingDir: HERE,
};

/** Builds everything into `outDir` (emptied first); returns the manifest. */
export async function buildWidget(outDir = path.join(HERE, 'dist')) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const chunks = {};
  for (const { name, entry } of ENTRIES) {
    const result = await esbuild.build({
      ...common,
      entryPoints: { [name]: entry },
      entryNames: '[name]-[hash]',
      outdir: outDir,
      metafile: true,
    });
    const [file] = Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js'));
    chunks[name] = path.basename(file);
  }
  await esbuild.build({
    ...common,
    entryPoints: ['src/loader/index.ts'],
    outfile: path.join(outDir, 'widget.js'),
    define: { ...common.define, __LOJAL_CHUNKS__: JSON.stringify(chunks) },
  });
  const sizes = {};
  for (const file of ['widget.js', ...Object.values(chunks)]) {
    const bytes = await readFile(path.join(outDir, file));
    sizes[file] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  }
  const manifest = { loader: 'widget.js', chunks, sizes };
  await writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const manifest = await buildWidget(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  for (const [file, size] of Object.entries(manifest.sizes)) {
    console.log(`${file}: ${size.bytes} B, ${size.gzip} B gzip`);
  }
}
