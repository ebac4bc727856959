// Where the end-to-end servers listen: the portal (reference backend serving dist/) and the
// host pages that embed it, on a second origin (another port is another origin).
export const PORTAL_PORT = Number(process.env.RAPPORT_E2E_PORT ?? 18765);
export const HOST_PORT = Number(process.env.RAPPORT_E2E_HOST_PORT ?? 18766);
export const PORTAL_ORIGIN = `http://127.0.0.1:${PORTAL_PORT}`;
export const HOST_ORIGIN = `http://127.0.0.1:${HOST_PORT}`;
