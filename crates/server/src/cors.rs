//! Cross-origin access for host pages that embed the portal (`<rapport-portal>` on a
//! business's own site).
//!
//! Such a page loads `rapport.js`, the JS and the wasm from this server as module scripts and
//! fetches (which the browser sends with CORS), reads `config.json`, and calls `/api` with a
//! bearer token. Only the origins named in the settings (`--allow-origin`, or
//! `RAPPORT_ALLOW_ORIGINS` comma-separated) may; none by default. Sessions are bearer
//! tokens, never cookies, so credentials are not allowed.

use axum::Router;
use axum::http::{HeaderValue, Method, header};
use std::time::Duration;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// An origin in the settings that is not a valid header value.
#[derive(Debug, thiserror::Error)]
#[error("--allow-origin {0:?} is not an origin such as https://shop.example")]
pub struct BadOrigin(String);

/// The CORS policy for `origins` (`https://shop.example`), or none when the list is empty.
pub fn layer(origins: &[String]) -> Result<Option<CorsLayer>, BadOrigin> {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .map(|o| o.trim().trim_end_matches('/'))
        .filter(|o| !o.is_empty())
        .map(|o| {
            let host = o
                .strip_prefix("https://")
                .or_else(|| o.strip_prefix("http://"));
            let valid = host.is_some_and(|h| !h.is_empty() && !h.contains('/'));
            valid
                .then(|| HeaderValue::from_str(o).ok())
                .flatten()
                .ok_or_else(|| BadOrigin(o.to_owned()))
        })
        .collect::<Result<_, _>>()?;
    if origins.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins))
            .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
            .allow_headers([
                header::AUTHORIZATION,
                header::CONTENT_TYPE,
                header::IF_MATCH,
            ])
            .expose_headers([
                header::ETAG,
                header::RETRY_AFTER,
                header::CONTENT_DISPOSITION,
            ])
            .max_age(Duration::from_secs(600)),
    ))
}

/// `router` answering cross-origin requests from `origins` (unchanged when there are none).
pub fn apply(router: Router, origins: &[String]) -> Result<Router, BadOrigin> {
    Ok(match layer(origins)? {
        Some(cors) => router.layer(cors),
        None => router,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    fn router() -> Router {
        let origins = ["http://127.0.0.1:9000".to_owned()];
        apply(
            Router::new().route("/api/x", get(|| async { "x" })),
            &origins,
        )
        .unwrap()
    }

    #[tokio::test]
    async fn a_listed_origin_may_call_with_a_bearer_token() {
        let preflight = Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/x")
            .header(header::ORIGIN, "http://127.0.0.1:9000")
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "PUT")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "authorization, if-match",
            )
            .body(Body::empty())
            .unwrap();
        let response = router().oneshot(preflight).await.unwrap();
        let headers = response.headers();
        assert_eq!(
            headers[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "http://127.0.0.1:9000"
        );
        let allowed = headers[header::ACCESS_CONTROL_ALLOW_HEADERS]
            .to_str()
            .unwrap();
        assert!(
            allowed.contains("authorization") && allowed.contains("if-match"),
            "{allowed}"
        );

        let get = Request::builder()
            .uri("/api/x")
            .header(header::ORIGIN, "http://127.0.0.1:9000")
            .body(Body::empty())
            .unwrap();
        let response = router().oneshot(get).await.unwrap();
        let exposed = response.headers()[header::ACCESS_CONTROL_EXPOSE_HEADERS]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            exposed.contains("etag") && exposed.contains("retry-after"),
            "{exposed}"
        );
    }

    #[tokio::test]
    async fn other_origins_get_no_cors_headers() {
        let get = Request::builder()
            .uri("/api/x")
            .header(header::ORIGIN, "http://evil.example")
            .body(Body::empty())
            .unwrap();
        let response = router().oneshot(get).await.unwrap();
        assert!(
            !response
                .headers()
                .contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        );
    }

    #[test]
    fn no_origins_no_policy_and_paths_are_refused() {
        assert!(layer(&[]).unwrap().is_none());
        assert!(layer(&["https://shop.example/".into()]).unwrap().is_some());
        assert!(layer(&["https://shop.example/page".into()]).is_err());
        assert!(layer(&["shop.example".into()]).is_err());
    }
}
