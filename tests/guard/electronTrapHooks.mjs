export async function resolve(specifier, context, next) {
  if (specifier === 'electron' || specifier.startsWith('electron/')) {
    throw new Error(`ELECTRON LOADED (ESM): '${specifier}' imported from ${context.parentURL}`);
  }
  return next(specifier, context);
}
