// The business's site for the embedding tests: a tiny static server on a second origin that
// serves the example host pages in this folder, each under its own path (deep links fall
// back to the page, as a host's own router would need), with {{PORTAL}} replaced by the
// portal's origin. strict-csp.html is sent with the Content-Security-Policy a careful host
// would send, exactly what README.md says a host must allow for the portal.
//
//   RAPPORT_E2E_HOST_PORT=18766 RAPPORT_E2E_PORT=18765 node tests/e2e/hosts/serve.mjs
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.RAPPORT_E2E_HOST_PORT ?? 18766);
const portal = `http://127.0.0.1:${Number(process.env.RAPPORT_E2E_PORT ?? 18765)}`;

/** What a host page must allow for the portal, and nothing else. */
export function strictPolicy(portalOrigin) {
  return [
    "default-src 'none'",
    `script-src 'self' ${portalOrigin} 'wasm-unsafe-eval'`,
    `connect-src ${portalOrigin}`,
    "style-src 'self'",
    "img-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

const pages = {
  '/hostile': { file: 'hostile.html' },
  '/strict': { file: 'strict-csp.html', csp: strictPolicy(portal) },
  '/plain': { file: 'plain.html' },
};
const assets = {
  '/host.js': 'text/javascript',
  '/host.css': 'text/css',
  '/hostile.css': 'text/css',
};

createServer(async (req, res) => {
  const path = new URL(req.url, 'http://host').pathname;
  try {
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    if (assets[path]) {
      const body = await readFile(join(here, path.slice(1)));
      res.writeHead(200, { 'content-type': assets[path], 'cache-control': 'no-store' }).end(body);
      return;
    }
    const page = Object.entries(pages).find(([prefix]) => path === prefix || path.startsWith(`${prefix}/`));
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const [, { file, csp }] = page;
    const html = (await readFile(join(here, file), 'utf8')).replaceAll('{{PORTAL}}', portal);
    const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' };
    if (csp) headers['content-security-policy'] = csp;
    res.writeHead(200, headers).end(html);
  } catch (error) {
    res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  }
}).listen(port, '127.0.0.1', () => console.log(`host pages on http://127.0.0.1:${port}, portal ${portal}`));
