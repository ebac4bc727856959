// The host page's own script (a file, so a strict CSP allows it): applies ?lang= and
// ?theme= to the element (as a host with its own language switch would), removes it for
// ?portal=0 (the page without the portal, to compare against), and records every event the
// portal sends, listening on the document (so the events must bubble out of the element).
const portal = document.querySelector('rapport-portal');
const params = new URLSearchParams(location.search);
for (const name of ['lang', 'theme']) {
  if (params.has(name)) portal.setAttribute(name, params.get(name));
}
if (params.get('portal') === '0') portal.remove();

window.hostEvents = [];
const log = document.getElementById('host-events');
for (const type of ['rapport-ready', 'rapport-saved', 'rapport-signed-out', 'rapport-navigated', 'rapport-height']) {
  document.addEventListener(type, (event) => {
    window.hostEvents.push({ type, detail: event.detail, target: event.target.localName });
    if (type !== 'rapport-height') {
      const item = document.createElement('li');
      item.textContent = `${type} ${JSON.stringify(event.detail)}`;
      log.append(item);
    }
  });
}

// A session the host signed in itself (the tests put one here before the page loads).
if (window.rapportHandOff && portal.isConnected) {
  customElements.whenDefined('rapport-portal').then(() => portal.signIn(window.rapportHandOff));
}
