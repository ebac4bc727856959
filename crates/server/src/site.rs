//! The built portal as static files, under a strict Content-Security-Policy.
//!
//! Trunk writes one small inline `<script type="module">` into index.html to load the wasm.
//! Rather than allow inline scripts, we hash the exact inline scripts of the index.html we
//! serve and allow only those (`'sha256-…'`), so the policy needs neither `'unsafe-inline'`
//! nor `'unsafe-eval'`; wasm compilation needs only `'wasm-unsafe-eval'`.
//!
//! Bytes on the wire: the build leaves a `.br` and a `.gz` beside each file
//! (scripts/postbuild/precompress.sh), sent as they are to a browser that accepts them. Files
//! whose names carry a content hash (Trunk's and the route modules') never change under that
//! name, so browsers may keep them a year without asking again; index.html, config.json and
//! anything else unhashed are revalidated every time.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Serves `dist`, falling back to its index.html for the portal's own routes (deep links).
/// `backend_url` is the configured backend's base URL: a store on another origin is added to
/// `connect-src`, so the portal may reach it and nothing else.
pub fn service(dist: &Path, backend_url: &str) -> std::io::Result<Router> {
    let index = dist.join("index.html");
    let policy = Policy {
        index: index.clone(),
        connect: connect_src(backend_url),
        cached: Arc::new(Mutex::new(None)),
    };
    // Fail at start-up, not on the first request, when there is no portal to serve.
    policy.current()?;
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(index)
                .precompressed_br()
                .precompressed_gzip(),
        );
    Ok(Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(cache_hashed_forever))
        .layer(middleware::map_response(move |mut response: Response| {
            let policy = policy.clone();
            async move {
                match policy.current() {
                    Ok(csp) => {
                        response
                            .headers_mut()
                            .insert(header::CONTENT_SECURITY_POLICY, csp);
                    }
                    Err(err) => tracing::error!("reading index.html for the CSP: {err}"),
                }
                response
            }
        }))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // Revalidate every time: config.json and index.html change without changing names.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        )))
}

/// `immutable` for a file found under a content-hashed name; the layer below adds `no-cache`
/// to everything else. A hashed name that is missing gets index.html (the deep-link
/// fallback), which must not be kept, hence the check on the type.
async fn cache_hashed_forever(request: Request, next: Next) -> Response {
    let hashed = is_content_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if response.status() == StatusCode::OK {
        response
            .headers_mut()
            .insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if hashed && !html {
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
        }
    }
    response
}

/// Whether a file name ends in a content hash: Trunk's `rapport-<hex>.js`,
/// `rapport-<hex>_bg.wasm`, `main-<hex>.css`, and the route modules' `split_audit-<hex>.wasm`
/// (8 to 16 hex digits: Trunk prints a 64-bit hash without leading zeros).
fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, _extension)) = name.rsplit_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| {
        (8..=16).contains(&hash.len())
            && hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

/// The policy for the index.html on disk, recomputed when a rebuild replaces it.
#[derive(Clone)]
struct Policy {
    index: PathBuf,
    connect: String,
    cached: Arc<Mutex<Option<(SystemTime, HeaderValue)>>>,
}

impl Policy {
    fn current(&self) -> std::io::Result<HeaderValue> {
        let modified = std::fs::metadata(&self.index)?.modified()?;
        let mut cached = self
            .cached
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, value)) = cached.as_ref().filter(|(at, _)| *at == modified) {
            return Ok(value.clone());
        }
        let html = std::fs::read_to_string(&self.index)?;
        let value = HeaderValue::from_str(&policy_with_connect(&html, &self.connect))
            .map_err(|err| std::io::Error::new(std::io::ErrorKind::InvalidData, err))?;
        *cached = Some((modified, value.clone()));
        Ok(value)
    }
}

/// `connect-src` for a backend at `base_url`: `'self'`, and the backend's origin when it is
/// elsewhere. Only an origin made of host characters gets in, so a URL can never add a
/// directive of its own (`https://x;script-src *`).
#[must_use]
pub fn connect_src(base_url: &str) -> String {
    let origin = ["https://", "http://"].iter().find_map(|scheme| {
        let rest = base_url.strip_prefix(scheme)?;
        let host = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        let plain = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        plain.then(|| format!("{scheme}{host}"))
    });
    match origin {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".into(),
    }
}

/// The policy for a page whose inline scripts are exactly those in `html`, its backend on
/// the same origin.
#[must_use]
pub fn content_security_policy(html: &str) -> String {
    policy_with_connect(html, "'self'")
}

fn policy_with_connect(html: &str, connect: &str) -> String {
    let hashes: String = inline_scripts(html)
        .map(|script| {
            let digest = Sha256::digest(script.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; \
         img-src 'self' data:; font-src 'self'; connect-src {connect}; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    )
}

/// The bodies of `<script>` elements without a `src`, exactly as the browser hashes them.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let (attributes, rest) = rest.split_once('>')?;
        let (body, _) = rest.split_once("</script>")?;
        (!attributes.contains("src=")).then_some(body)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = r#"<head><script src="/a.js"></script><script type="module" nonce="x">go()</script></head>"#;
        let bodies: Vec<_> = inline_scripts(html).collect();
        assert_eq!(bodies, vec!["go()"]);
        let csp = content_security_policy(html);
        // printf 'go()' | openssl dgst -sha256 -binary | base64
        assert!(
            csp.contains(" 'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw=';"),
            "{csp}"
        );
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
            "{csp}"
        );
    }

    #[test]
    fn connect_src_follows_the_backend() {
        assert_eq!(connect_src("/api"), "'self'");
        assert_eq!(
            connect_src("https://store.example:8443/v1?x=1"),
            "'self' https://store.example:8443"
        );
        assert_eq!(
            connect_src("http://127.0.0.1:8888"),
            "'self' http://127.0.0.1:8888"
        );
        for hostile in [
            "https://x;script-src *",
            "https://x y",
            "https:///api",
            "ftp://x",
        ] {
            assert_eq!(connect_src(hostile), "'self'", "{hostile}");
        }
        let csp = policy_with_connect("", &connect_src("https://store.example/v1"));
        assert!(
            csp.contains("; connect-src 'self' https://store.example; "),
            "{csp}"
        );
    }

    #[test]
    fn only_content_hashed_names_are_cached_forever() {
        for hashed in [
            "/rapport-2f9c0e1ab34d5e6f.js",
            "/rapport-2f9c0e1ab34d5e6f_bg.wasm",
            "/main-9a8b7c6d.css",
            "/split_audit-0123456789abcdef.wasm",
            "/__wasm_split-0123456789abcdef.js",
        ] {
            assert!(is_content_hashed(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/config.json",
            "/favicon.svg",
            "/rapport.js",
            "/profile",
            "/split-audit.wasm",
            "/rapport-2F9C0E1AB34D5E6F.js",
            "/rapport-2f9c0e1ab34d5e6f0.js",
        ] {
            assert!(!is_content_hashed(plain), "{plain}");
        }
    }
}
