//! The built portal as static files, under a strict Content-Security-Policy.
//!
//! Trunk writes one small inline `<script type="module">` into index.html to load the wasm.
//! Rather than allow inline scripts, we hash the exact inline scripts of the index.html we
//! serve and allow only those (`'sha256-…'`), so the policy needs neither `'unsafe-inline'`
//! nor `'unsafe-eval'`; wasm compilation needs only `'wasm-unsafe-eval'`.

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::Response;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// Serves `dist`, falling back to its index.html for the portal's own routes (deep links).
pub fn service(dist: &Path) -> std::io::Result<Router> {
    let index = dist.join("index.html");
    let policy = Policy {
        index: index.clone(),
        cached: Arc::new(Mutex::new(None)),
    };
    // Fail at start-up, not on the first request, when there is no portal to serve.
    policy.current()?;
    let files = ServeDir::new(dist).fallback(ServeFile::new(index));
    Ok(Router::new()
        .fallback_service(files)
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

/// The policy for the index.html on disk, recomputed when a rebuild replaces it.
#[derive(Clone)]
struct Policy {
    index: PathBuf,
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
        let value = HeaderValue::from_str(&content_security_policy(&html))
            .map_err(|err| std::io::Error::new(std::io::ErrorKind::InvalidData, err))?;
        *cached = Some((modified, value.clone()));
        Ok(value)
    }
}

/// The policy for a page whose inline scripts are exactly those in `html`.
#[must_use]
pub fn content_security_policy(html: &str) -> String {
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
         img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
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
        // echo -n 'go()' | openssl dgst -sha256 -binary | base64
        assert!(csp.contains("'sha256-"), "{csp}");
        assert!(
            !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
            "{csp}"
        );
    }
}
