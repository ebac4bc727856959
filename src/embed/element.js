// The <rapport-portal> custom element. A custom element class has to extend HTMLElement,
// which Rust cannot do, so the class lives here; everything it does beyond keeping its own
// shadow root and reporting its height is a call into Rust (`mount` hands back a handle
// whose methods sign in, sign out, change language and unmount).
//
// wasm-bindgen copies this file beside the portal's JS (a module file of its own, so a
// Content-Security-Policy without 'unsafe-inline' allows it like any other script).

const TAG = 'rapport-portal';

let portalSheet = null;

/**
 * Gives a shadow root the portal's stylesheet (one shared sheet) and the theme's `:host`
 * rule. Constructed stylesheets need no request and no 'unsafe-inline'.
 */
export function adopt_styles(root, portal, theme) {
  if (!portalSheet) {
    portalSheet = new CSSStyleSheet();
    portalSheet.replaceSync(portal);
  }
  const sheets = [portalSheet];
  if (theme) {
    const themeSheet = new CSSStyleSheet();
    themeSheet.replaceSync(theme);
    sheets.push(themeSheet);
  }
  root.adoptedStyleSheets = sheets;
}

/** Defines the element once; `mount(element, shadowRoot)` returns a handle (see mod.rs). */
export function define_element(mount) {
  if (customElements.get(TAG)) return;
  customElements.define(TAG, class RapportPortal extends HTMLElement {
    static get observedAttributes() { return ['lang']; }

    #handle = null;
    #queued = [];
    #resize = null;

    connectedCallback() {
      if (this.#handle) return;
      const root = this.shadowRoot ?? this.attachShadow({ mode: 'open' });
      this.#handle = mount(this, root);
      // Commands the host gave before the element was upgraded or mounted.
      for (const run of this.#queued.splice(0)) run(this.#handle);
      this.#resize = new ResizeObserver((entries) => {
        const height = Math.ceil(entries[entries.length - 1].borderBoxSize?.[0]?.blockSize
          ?? this.getBoundingClientRect().height);
        this.dispatchEvent(new CustomEvent('rapport-height', { bubbles: true, composed: true, detail: { height } }));
      });
      this.#resize.observe(this);
    }

    disconnectedCallback() {
      // Moving the element elsewhere in the page disconnects and reconnects it at once:
      // only unmount when it is really gone.
      queueMicrotask(() => {
        if (this.isConnected || !this.#handle) return;
        this.#resize?.disconnect();
        this.#handle.unmount();
        this.#handle = null;
      });
    }

    attributeChangedCallback(name, before, after) {
      if (name === 'lang' && before !== after && after) this.#command((h) => h.set_language(after));
    }

    /**
     * Hands over a signed-in session, so no sign-in form is shown: the `token` string, or
     * the whole answer of the backend's sign-in (`{ token, subject, role }`).
     */
    signIn(session) {
      const value = typeof session === 'string' ? { token: session } : session;
      if (!value || typeof value.token !== 'string' || !value.token) {
        throw new TypeError('rapport-portal: signIn needs a token');
      }
      this.#command((h) => h.sign_in(value.token, value.subject ?? undefined, value.role ?? undefined));
    }

    /** Ends the session (on the backend too); `rapport-signed-out` follows. */
    signOut() {
      this.#command((h) => h.sign_out());
    }

    #command(run) {
      if (this.#handle) run(this.#handle);
      else this.#queued.push(run);
    }
  });
}
