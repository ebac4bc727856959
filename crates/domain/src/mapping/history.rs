//! History pages through a mapping: filters as the store takes them, and the four ways a
//! store says where the next page is, all carried in `HistoryQuery::cursor` /
//! `HistoryPage::next_cursor` so the portal pages every store the same way.

use super::config::{Filter, HistoryMapping, Operation, Paging, Place};
use super::{Answer, Engine, Failure, Mismatch, Request, Session, append_query, read};
use crate::history::{HistoryEvent, HistoryPage, HistoryQuery};
use serde_json::Value;

impl Engine {
    fn history_mapping(&self) -> Result<&HistoryMapping, Failure> {
        self.mapping
            .history
            .as_ref()
            .ok_or_else(|| Failure::NotOffered(Operation::HistoryPage, "a history".into()))
    }

    /// The request for one page of history.
    pub fn history_request(
        &self,
        session: &Session,
        query: &HistoryQuery,
    ) -> Result<Request, Failure> {
        let op = Operation::HistoryPage;
        let history = self.history_mapping()?;
        let mut request = self.request(op, session)?;
        if let (Paging::NextLink { .. }, Some(next)) = (&history.paging, &query.cursor) {
            // The link carries the filters and the position already; it must stay on the
            // store's origin, or the customer's credential would go wherever it points.
            request.url = self.same_origin(next).ok_or_else(|| {
                Failure::NotOffered(op, format!("a next link outside its own origin ({next})"))
            })?;
            return Ok(request);
        }
        let mut params: Vec<(String, String)> = Vec::new();
        let mut add = |filter: Filter, value: String| -> Result<(), Failure> {
            let Some(param) = history.filters.get(&filter) else {
                return Err(Failure::NotOffered(op, format!("the {filter:?} filter")));
            };
            let value = param.value.replace("{value}", &value);
            match params.iter_mut().find(|(name, _)| *name == param.param) {
                Some((_, existing)) => {
                    existing.push_str(history.join.as_deref().unwrap_or(""));
                    existing.push_str(&value);
                }
                None => params.push((param.param.clone(), value)),
            }
            Ok(())
        };
        if let Some(kind) = query.kind {
            add(Filter::Kind, kind.as_str().to_owned())?;
        }
        if let Some(channel) = query.channel {
            add(Filter::Channel, channel.as_str().to_owned())?;
        }
        if let Some(since) = query.since {
            add(Filter::From, since.to_string())?;
        }
        if let Some(before) = query.before {
            add(Filter::To, (before - 1).to_string())?;
        }
        if !query.terms.is_empty() {
            add(Filter::Q, query.terms.join(" "))?;
        }
        if let Some(limit) = &history.limit {
            params.push((limit.clone(), query.limit.to_string()));
        }
        match (&history.paging, &query.cursor) {
            (Paging::Cursor { param, .. }, Some(cursor)) => {
                params.push((param.clone(), cursor.clone()));
            }
            (Paging::Page { param }, cursor) => {
                params.push((param.clone(), cursor.clone().unwrap_or_else(|| "1".into())));
            }
            (Paging::Offset { param }, cursor) => {
                params.push((param.clone(), cursor.clone().unwrap_or_else(|| "0".into())));
            }
            _ => {}
        }
        for (name, value) in &params {
            append_query(&mut request.url, name, value);
        }
        Ok(request)
    }

    /// The page an answer holds, with where the next one is.
    pub fn history_answer(
        &self,
        query: &HistoryQuery,
        answer: &Answer,
    ) -> Result<HistoryPage, Failure> {
        let op = Operation::HistoryPage;
        let history = self.history_mapping()?;
        let json = self.success(op, answer)?;
        let items = match json.pointer(&history.events) {
            Some(Value::Array(items)) => items,
            other => {
                return Err(Failure::Mismatch(Mismatch {
                    operation: op,
                    pointer: history.events.clone(),
                    found: format!("{}, not a list of events", read::describe(other)),
                }));
            }
        };
        let mut events = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let item = match &history.event_fields {
                None => item.clone(),
                Some(fields) => read::map_fields(item, fields),
            };
            let pointer = format!("{}/{i}", history.events);
            events.push(read::typed::<HistoryEvent>(op, &pointer, item)?);
        }
        let full = events.len() >= query.limit as usize;
        let next_cursor = match &history.paging {
            Paging::Cursor { next, .. } => place(answer, &json, next),
            Paging::NextLink { next } => match place(answer, &json, next) {
                Some(link) => Some(self.same_origin(&link).ok_or_else(|| {
                    Failure::Mismatch(Mismatch {
                        operation: op,
                        pointer: place_name(next),
                        found: format!("a link outside the store's origin: {link}"),
                    })
                })?),
                None => None,
            },
            Paging::Page { .. } => {
                let page: u64 = query
                    .cursor
                    .as_deref()
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(1);
                full.then(|| (page + 1).to_string())
            }
            Paging::Offset { .. } => {
                let offset: u64 = query
                    .cursor
                    .as_deref()
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(0);
                full.then(|| (offset + events.len() as u64).to_string())
            }
        };
        Ok(HistoryPage {
            events,
            next_cursor,
        })
    }

    /// `link` as an absolute URL on the store's origin, or `None` when it leads elsewhere.
    fn same_origin(&self, link: &str) -> Option<String> {
        let origin = self.origin();
        if link.starts_with('/') && !link.starts_with("//") {
            return Some(format!("{origin}{link}"));
        }
        let rest = link.strip_prefix(origin)?;
        (!origin.is_empty() && (rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')))
            .then(|| link.to_owned())
    }
}

fn place(answer: &Answer, json: &Value, place: &Place) -> Option<String> {
    let found = match place {
        Place::Header(name) => answer.header(name).map(str::to_owned),
        Place::Pointer(pointer) => json.pointer(pointer).and_then(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }),
    };
    found.filter(|s| !s.trim().is_empty())
}

fn place_name(place: &Place) -> String {
    match place {
        Place::Header(name) => format!("the {name} header"),
        Place::Pointer(pointer) => pointer.clone(),
    }
}
