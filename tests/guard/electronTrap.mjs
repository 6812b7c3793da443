// Loaded with `node --import`: fails any ESM resolution of 'electron' and, at exit, any CommonJS load of it,
// so the core is proven to run under plain Node without the Electron package.
import { register, createRequire } from 'node:module';

register('./electronTrapHooks.mjs', import.meta.url);
const require = createRequire(import.meta.url);
process.on('exit', () => {
  const loaded = Object.keys(require.cache).filter((path) => /[\\/]node_modules[\\/]electron[\\/]/.test(path));
  if (loaded.length > 0) {
    process.stderr.write(`ELECTRON LOADED (CommonJS): ${loaded.join(', ')}\n`);
    process.exitCode = 86;
  }
});
