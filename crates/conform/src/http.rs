//! The transport: sends an engine's [`Request`] as it is and hands back the [`Answer`], the
//! one thing the portal does with gloo-net instead.

use rapport_domain::mapping::{Answer, Request};
use std::time::Duration;

/// A blocking HTTP client that leaves statuses to the engine.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
}

impl Client {
    pub fn new() -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(20)))
            .build()
            .into();
        Client { agent }
    }

    /// Sends `request`; a transport failure (refused connection, timeout) is an error text.
    pub fn send(&self, request: &Request) -> Result<Answer, String> {
        let headers: Vec<(&str, &str)> = request
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.raw(
            &request.method,
            &request.url,
            &headers,
            request.body.as_deref(),
        )
        .map_err(|err| format!("{}: {err}", request.operation))
    }

    /// Any request, for what the engine does not plan (the CORS preflight).
    pub fn raw(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Result<Answer, String> {
        let mut builder = ureq::http::Request::builder().method(method).uri(url);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let result = match body {
            Some(body) => builder
                .body(body.as_bytes().to_vec())
                .map_err(|e| e.to_string())
                .and_then(|r| self.agent.run(r).map_err(|e| e.to_string())),
            None => builder
                .body(())
                .map_err(|e| e.to_string())
                .and_then(|r| self.agent.run(r).map_err(|e| e.to_string())),
        };
        let mut response = result?;
        let headers = response
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .read_to_vec()
            .map_err(|e| e.to_string())?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }
}
