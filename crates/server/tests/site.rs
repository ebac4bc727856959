//! The portal's files over a real socket: precompressed variants chosen by Accept-Encoding,
//! and caching by name (content-hashed files kept a year, the rest revalidated).

mod common;

use common::start_with;
use reqwest::StatusCode;

const WASM: &str = "rapport-0123456789abcdef_bg.wasm";

/// A built portal in miniature: each file with a `.br` and `.gz` beside it whose bodies say
/// which one was sent.
fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| std::fs::write(dir.path().join(name), body).unwrap();
    for (name, body) in [
        (
            "index.html",
            "<html><script type=\"module\">boot()</script></html>",
        ),
        (WASM, "raw wasm"),
    ] {
        write(name, body);
        write(&format!("{name}.br"), &format!("brotli {name}"));
        write(&format!("{name}.gz"), &format!("gzip {name}"));
    }
    write("config.json", "{}");
    dir
}

async fn get(base: &str, path: &str, accept: Option<&str>) -> reqwest::Response {
    let client = reqwest::Client::new();
    let mut request = client.get(format!("{base}{path}"));
    if let Some(accept) = accept {
        request = request.header("accept-encoding", accept);
    }
    request.send().await.unwrap()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn precompressed_files_are_sent_to_browsers_that_accept_them() {
    let dist = dist();
    let server = start_with(Some(dist.path())).await;
    for (accept, encoding, body) in [
        (
            Some("gzip, deflate, br, zstd"),
            Some("br"),
            format!("brotli {WASM}"),
        ),
        (Some("gzip"), Some("gzip"), format!("gzip {WASM}")),
        (None, None, "raw wasm".to_owned()),
    ] {
        let response = get(&server.base, &format!("/{WASM}"), accept).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            header(&response, "content-encoding"),
            encoding,
            "{accept:?}"
        );
        assert_eq!(header(&response, "content-type"), Some("application/wasm"));
        assert_eq!(header(&response, "vary"), Some("accept-encoding"));
        assert_eq!(response.text().await.unwrap(), body);
    }
    // The deep-link fallback is index.html, compressed the same way.
    let page = get(&server.base, "/history", Some("br")).await;
    assert_eq!(header(&page, "content-encoding"), Some("br"));
    assert_eq!(page.text().await.unwrap(), "brotli index.html");
}

#[tokio::test]
async fn hashed_names_are_cached_for_a_year_and_the_rest_revalidated() {
    let dist = dist();
    let server = start_with(Some(dist.path())).await;
    let wasm = get(&server.base, &format!("/{WASM}"), Some("br")).await;
    assert_eq!(
        header(&wasm, "cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    for path in ["/", "/index.html", "/config.json", "/profile"] {
        let response = get(&server.base, path, Some("br")).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(
            header(&response, "cache-control"),
            Some("no-cache"),
            "{path}"
        );
    }
    // A hashed name that is not there (an old build's) gets index.html: never kept.
    let missing = get(&server.base, "/rapport-fedcba9876543210.js", None).await;
    assert_eq!(header(&missing, "cache-control"), Some("no-cache"));
}
