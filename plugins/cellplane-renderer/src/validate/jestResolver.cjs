/**
 * Jest resolves with the `require` condition, but kubernetes-models 5 and its @kubernetes-models
 * family are ESM-only (their exports offer `import` alone). For those packages, and what they
 * import, this resolver adds the `import` condition; Backstage's Jest transform then compiles the
 * ESM to CommonJS like any other file. Everything else resolves exactly as before.
 *
 * The packages that use it give their Jest config an `id` of its own: Jest keeps one resolver per
 * config id in each worker, and Backstage derives the default id from the transform alone, so
 * without it a package with the default resolver that ran first in a worker lent this package its
 * resolver (the ESM-only imports then failed only in a full run).
 */
const ESM_ONLY = /^(@kubernetes-models\/|(kubernetes-models|is-cidr|cidr-regex|ip-regex)(\/|$))/;
const FROM_ESM_ONLY = /[\\/]node_modules[\\/](kubernetes-models|@kubernetes-models[\\/][^\\/]+|is-cidr|cidr-regex|ip-regex)[\\/]/;

module.exports = (request, options) => {
  if (ESM_ONLY.test(request) || FROM_ESM_ONLY.test(options.basedir)) {
    return options.defaultResolver(request, {
      ...options,
      conditions: [...new Set([...(options.conditions ?? []), 'import', 'default'])],
    });
  }
  return options.defaultResolver(request, options);
};
