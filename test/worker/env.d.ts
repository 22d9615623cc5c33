// Tells the Workers types what the main module exports, so `exports.default` from
// `cloudflare:workers` is typed in the workerd tests.
declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('../../src/index');
  }
}
