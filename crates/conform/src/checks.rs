//! The checks, each a function that returns `Ok` or the reason it failed. Every request goes
//! through the domain engine, so a pass here is a pass for the portal.

use crate::http::Client;
use rapport_domain::api::Role;
use rapport_domain::history::{HistoryEvent, HistoryQuery};
use rapport_domain::mapping::{
    Answer, AuthKind, Document, Engine, Failure, Filter, Operation, Paging, Place, Request, Saved,
    Session, VersionSource,
};
use rapport_domain::{Preferences, Profile, Version, Versioned};
use std::sync::Barrier;

/// A test customer's credentials.
pub struct Customer {
    pub username: String,
    pub password: String,
}

/// Everything the checks share.
pub struct Run {
    pub engine: Engine,
    pub client: Client,
    pub a: Customer,
    pub b: Customer,
    pub origin: Option<String>,
    /// Makes this run's data recognisable (and different from the last run's).
    pub nonce: String,
}

pub type Outcome = Result<(), String>;

/// Signed-in sessions, once sign-in has passed.
pub struct Sessions {
    pub a: Session,
    pub b: Session,
}

impl Run {
    fn send(&self, request: &Request) -> Result<Answer, String> {
        self.client.send(request)
    }

    pub fn sign_in(&self, who: &Customer) -> Result<Session, String> {
        let request = self
            .engine
            .sign_in_request(&who.username, &who.password)
            .map_err(|e| e.to_string())?;
        let answer = self.send(&request)?;
        self.engine
            .sign_in_answer(&who.username, &who.password, &answer)
            .map_err(|e| format!("{} could not sign in: {e}", who.username))
    }

    /// Sessions from tokens a host page hands over (`--a SUBJECT:TOKEN`); each must read
    /// its customer's profile.
    pub fn handed_over(&self) -> Result<Sessions, String> {
        let session = |who: &Customer| -> Result<Session, String> {
            let session = self
                .engine
                .handed_over(&who.password, &who.username, Role::Customer);
            let _: Versioned<Profile> = self
                .read(Document::Profile, &session)
                .map_err(|e| format!("{}'s token: {e}", who.username))?;
            Ok(session)
        };
        Ok(Sessions {
            a: session(&self.a)?,
            b: session(&self.b)?,
        })
    }

    /// A made-up token is turned away.
    pub fn refuses_wrong_token(&self) -> Outcome {
        let wrong = self.engine.handed_over(
            &format!("{}-wrong", self.a.password),
            &self.a.username,
            Role::Customer,
        );
        let request = self
            .engine
            .read_request(Document::Profile, &wrong)
            .map_err(|e| e.to_string())?;
        let answer = self.send(&request)?;
        if [401, 403].contains(&answer.status) {
            Ok(())
        } else {
            Err(format!("a wrong token got {}", answer.status))
        }
    }

    pub fn sign_in_refuses_bad_password(&self) -> Outcome {
        let wrong = format!("{}-wrong", self.a.password);
        let request = self
            .engine
            .sign_in_request(&self.a.username, &wrong)
            .map_err(|e| e.to_string())?;
        let answer = self.send(&request)?;
        match self
            .engine
            .sign_in_answer(&self.a.username, &wrong, &answer)
        {
            Ok(_) => Err(format!(
                "a wrong password was accepted (status {})",
                answer.status
            )),
            Err(_) if [400, 401, 403].contains(&answer.status) => Ok(()),
            Err(e) => Err(format!("refused, but with status {}: {e}", answer.status)),
        }
    }

    fn read<T: serde::de::DeserializeOwned + Default>(
        &self,
        which: Document,
        session: &Session,
    ) -> Result<Versioned<T>, String> {
        let request = self
            .engine
            .read_request(which, session)
            .map_err(|e| e.to_string())?;
        let answer = self.send(&request)?;
        self.engine
            .read_answer(which, &answer)
            .map_err(|e| e.to_string())
    }

    fn write<T: serde::Serialize + serde::de::DeserializeOwned>(
        &self,
        which: Document,
        session: &Session,
        base: Option<Version>,
        document: &T,
    ) -> Result<Saved<T>, Failure> {
        let value = serde_json::to_value(document).expect("domain types serialise");
        let request = self.engine.write_request(which, session, base, &value)?;
        let answer = self
            .send(&request)
            .map_err(|e| Failure::NotOffered(request.operation, format!("an answer ({e})")))?;
        self.engine.write_answer(which, &request, &answer)
    }

    fn profile(&self, tag: &str) -> Profile {
        Profile {
            name: format!("Conform {tag} {}", self.nonce),
            email: format!("{tag}.{}@conform.example", self.nonce).to_lowercase(),
            phone: String::new(),
            preferred_contact: Some(rapport_domain::ContactMethod::Email),
        }
    }

    fn preferences(&self, day: u32) -> Preferences {
        let mut preferences = Preferences::default();
        let month = self.nonce.bytes().map(u32::from).sum::<u32>() % 12 + 1;
        preferences.contact.paused_until = Some(format!("2031-{month:02}-{:02}", day % 28 + 1));
        preferences
    }

    pub fn profile_round_trip(&self, s: &Sessions) -> Outcome {
        let before: Versioned<Profile> = self.read(Document::Profile, &s.a)?;
        let mine = self.profile("a");
        let saved = match self.write(Document::Profile, &s.a, Some(before.version), &mine) {
            Ok(Saved::Saved(saved)) => saved,
            Ok(Saved::Conflict(_)) => return Err("a fresh write was called a conflict".into()),
            Err(e) => return Err(e.to_string()),
        };
        if saved.data != mine {
            return Err(format!(
                "the save answered {:?}, not what was sent",
                saved.data
            ));
        }
        // Whether the version moved on is the concurrency checks' business: a store that
        // keeps one version forever fails those, not this.
        let after: Versioned<Profile> = self.read(Document::Profile, &s.a)?;
        if after != saved {
            return Err(format!(
                "read back {:?} at version {}, saved {:?} at {}",
                after.data, after.version, saved.data, saved.version
            ));
        }
        Ok(())
    }

    pub fn preferences_round_trip(&self, s: &Sessions) -> Outcome {
        let before: Versioned<Preferences> = self.read(Document::Preferences, &s.a)?;
        let mine = self.preferences(3);
        let saved = match self.write(Document::Preferences, &s.a, Some(before.version), &mine) {
            Ok(Saved::Saved(saved)) => saved,
            Ok(Saved::Conflict(_)) => return Err("a fresh write was called a conflict".into()),
            Err(e) => return Err(e.to_string()),
        };
        let after: Versioned<Preferences> = self.read(Document::Preferences, &s.a)?;
        if after.data != mine || after.version != saved.version {
            return Err(format!(
                "read back {:?} at version {}, saved {mine:?} at {}",
                after.data, after.version, saved.version
            ));
        }
        Ok(())
    }

    /// After a refresh the new credential works (PocketBase-style stores; the portal retries
    /// once this way after a 401).
    pub fn refresh(&self, s: &Sessions) -> Outcome {
        let request = self
            .engine
            .refresh_request(&s.a)
            .ok_or("the refresh operation cannot be planned")?;
        let answer = self.send(&request)?;
        let renewed = self
            .engine
            .refresh_answer(&s.a, &answer)
            .map_err(|e| e.to_string())?;
        let _: Versioned<Profile> = self.read(Document::Profile, &renewed)?;
        Ok(())
    }

    /// A read-only operation beyond the documents (consents, export) answers with data where
    /// the mapping says. Erasure is never asked for: it would be carried out on a real store.
    pub fn other_read(&self, s: &Sessions, op: Operation) -> Outcome {
        let request = self.engine.request(op, &s.a).map_err(|e| e.to_string())?;
        let answer = self.send(&request)?;
        self.engine
            .answer::<serde_json::Value>(op, &answer)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// Two writers edit the same version; the second must be refused with the first's data.
    pub fn stale_write_refused(&self, s: &Sessions) -> Outcome {
        let base: Versioned<Profile> = self.read(Document::Profile, &s.a)?;
        let first = self.profile("first");
        let saved = match self.write(Document::Profile, &s.a, Some(base.version), &first) {
            Ok(Saved::Saved(saved)) => saved,
            other => return Err(format!("the first writer's save failed: {other:?}")),
        };
        let second = self.profile("second");
        match self.write(Document::Profile, &s.a, Some(base.version), &second) {
            Ok(Saved::Saved(_)) => {
                return Err(format!(
                    "a write at stale version {} was accepted and overwrote the other writer's",
                    base.version
                ));
            }
            Ok(Saved::Conflict(Some(current))) => {
                if current.data != first || current.version != saved.version {
                    return Err(format!(
                        "the conflict answer's record is {:?} at {}, not the other writer's {:?} at {}",
                        current.data, current.version, first, saved.version
                    ));
                }
            }
            Ok(Saved::Conflict(None)) => {}
            Err(e) => return Err(format!("refused, but not as a conflict: {e}")),
        }
        let now: Versioned<Profile> = self.read(Document::Profile, &s.a)?;
        if now.data != first {
            return Err(format!(
                "the store now holds {:?}, not the first writer's",
                now.data
            ));
        }
        Ok(())
    }

    /// Two writes from the same version at the same moment: exactly one may win. The first
    /// round races to create the record; the later ones race from a stored version, since a
    /// check-then-write store can win one race by luck but hardly five.
    pub fn racing_first_writes(&self, s: &Sessions) -> Outcome {
        for round in 0..5 {
            self.race(s, round)
                .map_err(|e| format!("round {}: {e}", round + 1))?;
        }
        Ok(())
    }

    fn race(&self, s: &Sessions, round: u32) -> Outcome {
        let base: Versioned<Preferences> = self.read(Document::Preferences, &s.b)?;
        let one = self.preferences(2 * round + 1);
        let two = self.preferences(2 * round + 2);
        let barrier = Barrier::new(2);
        let race = |doc: &Preferences| {
            barrier.wait();
            self.write(Document::Preferences, &s.b, Some(base.version), doc)
        };
        let (r1, r2) = std::thread::scope(|scope| {
            let h1 = scope.spawn(|| race(&one));
            let h2 = scope.spawn(|| race(&two));
            (h1.join().expect("writer"), h2.join().expect("writer"))
        });
        // The loser gets a conflict, or a refusal that asks for a retry (Kinto on PostgreSQL:
        // 409 for a lost create, 503 for a lost update); the portal keeps the edit, and the
        // retry meets the conflict. What must never happen is two wins.
        let lost = |r: &Result<Saved<Preferences>, Failure>| match r {
            Ok(Saved::Conflict(_)) => true,
            Err(Failure::Refused(refusal)) => [409, 503].contains(&refusal.status),
            _ => false,
        };
        let winner = match (&r1, &r2) {
            (Ok(Saved::Saved(_)), Ok(Saved::Saved(_))) => {
                return Err(format!(
                    "both writes from version {} won; one silently overwrote the other",
                    base.version
                ));
            }
            (Ok(Saved::Saved(_)), other) if lost(other) => &one,
            (other, Ok(Saved::Saved(_))) if lost(other) => &two,
            other => return Err(format!("expected one save and one conflict, got {other:?}")),
        };
        let now: Versioned<Preferences> = self.read(Document::Preferences, &s.b)?;
        if &now.data != winner {
            return Err("the store holds neither the winner's document".into());
        }
        Ok(())
    }

    /// A write that names no version must not overwrite what is stored.
    pub fn write_without_version(&self, s: &Sessions) -> Outcome {
        let stored: Versioned<Profile> = self.read(Document::Profile, &s.a)?;
        let blind = serde_json::to_value(self.profile("blind")).expect("serialises");
        let request = self
            .engine
            .write_request(Document::Profile, &s.a, None, &blind)
            .map_err(|e| e.to_string())?;
        let answer = self.send(&request)?;
        // Judged by the status: an accepted blind write may not even fit the mapping.
        if (200..300).contains(&answer.status) {
            // Put the record back, version and all, so the checks after this one see the
            // store as it was rather than fail for this one's sake.
            let restored = self.write(Document::Profile, &s.a, Some(stored.version), &stored.data);
            return Err(format!(
                "a write without a version was accepted ({}; restored: {})",
                answer.status,
                if matches!(restored, Ok(Saved::Saved(_))) {
                    "yes"
                } else {
                    "no"
                }
            ));
        }
        let now: Versioned<Profile> = self.read(Document::Profile, &s.a)?;
        if now != stored {
            return Err("the stored profile changed anyway".into());
        }
        Ok(())
    }

    /// Customer B (and nobody at all) gets A's data by any URL the mapping forms for A.
    pub fn isolation(&self, s: &Sessions) -> Outcome {
        let a_profile: Versioned<Profile> = self.read(Document::Profile, &s.a)?;
        let markers = [a_profile.data.name.clone(), self.a.username.clone()];
        let mut reads: Vec<Request> = Vec::new();
        for which in [Document::Profile, Document::Preferences] {
            reads.push(
                self.engine
                    .read_request(which, &s.a)
                    .map_err(|e| e.to_string())?,
            );
        }
        for op in [
            Operation::ConsentsRead,
            Operation::Export,
            Operation::HistoryPage,
        ] {
            if self.engine.offers(op) {
                let request = if op == Operation::HistoryPage {
                    self.engine
                        .history_request(&s.a, &HistoryQuery::default())
                        .map_err(|e| e.to_string())?
                } else {
                    self.engine.request(op, &s.a).map_err(|e| e.to_string())?
                };
                reads.push(request);
            }
        }
        let mut problems = Vec::new();
        for request in &reads {
            for (who, attempt) in [
                ("customer B", request.clone().with_credential(&s.b)),
                (
                    "a request without credentials",
                    request.clone().without_credential(),
                ),
            ] {
                let answer = self.send(&attempt)?;
                if [401, 403, 404].contains(&answer.status) {
                    continue;
                }
                let body = String::from_utf8_lossy(&answer.body);
                // A 2xx is fine when it holds nothing of A's: `/me/...` answers B with B's
                // own record, and a list filtered by its owner rule answers a stranger with
                // an empty page.
                if markers.iter().any(|m| body.contains(m.as_str())) {
                    problems.push(format!(
                        "{who} got A's data from {} {} ({})",
                        attempt.method, attempt.url, answer.status
                    ));
                }
            }
        }
        // B writing through A's URLs must not change A's profile. Where the URL names no
        // customer (`/me/profile`) B's write reaches B's own record, and whatever the store
        // answers to that is B's business; a stranger must be turned away.
        let value = serde_json::to_value(self.profile("intruder")).expect("serialises");
        let write = self
            .engine
            .write_request(Document::Profile, &s.a, Some(a_profile.version), &value)
            .map_err(|e| e.to_string())?;
        for (who, attempt) in [
            ("customer B", write.clone().with_credential(&s.b)),
            ("a request without credentials", write.without_credential()),
        ] {
            let answer = self.send(&attempt)?;
            if who != "customer B" && ![401, 403, 404].contains(&answer.status) {
                problems.push(format!("{who}'s write to A's record got {}", answer.status));
            }
        }
        let after: Versioned<Profile> = self.read(Document::Profile, &s.a)?;
        if after != a_profile {
            problems.push("customer B's write changed A's profile".into());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    /// Every page of A's history for `query`, in order; `Err` on a repeat or a page failure.
    fn all_pages(&self, s: &Sessions, query: &HistoryQuery) -> Result<Vec<HistoryEvent>, String> {
        let mut events: Vec<HistoryEvent> = Vec::new();
        let mut query = query.clone();
        for _ in 0..500 {
            let request = self
                .engine
                .history_request(&s.a, &query)
                .map_err(|e| e.to_string())?;
            let answer = self.send(&request)?;
            let page = self
                .engine
                .history_answer(&query, &answer)
                .map_err(|e| e.to_string())?;
            for event in page.events {
                if events.iter().any(|e| e.id == event.id) {
                    return Err(format!("event {} came twice", event.id));
                }
                events.push(event);
            }
            match page.next_cursor {
                Some(next) if query.cursor.as_deref() == Some(next.as_str()) => {
                    return Err(format!("the next page is the same page again ({next})"));
                }
                Some(next) => query.cursor = Some(next),
                None => return Ok(events),
            }
        }
        Err("more than 500 pages; the paging never ends".into())
    }

    /// A's whole history, paged in sevens; newest first, nothing repeated or skipped.
    pub fn history_paging(&self, s: &Sessions) -> Result<Vec<HistoryEvent>, String> {
        let paged = self.all_pages(
            s,
            &HistoryQuery {
                limit: 7,
                ..HistoryQuery::default()
            },
        )?;
        if paged.len() < 8 {
            return Err(format!(
                "customer A has {} events; seed at least 8 so that paging is tested",
                paged.len()
            ));
        }
        if let Some(w) = paged
            .windows(2)
            .find(|w| (w[0].occurred_at, w[0].id) < (w[1].occurred_at, w[1].id))
        {
            return Err(format!(
                "not newest first: event {} ({}) before event {} ({})",
                w[0].id, w[0].occurred_at, w[1].id, w[1].occurred_at
            ));
        }
        let whole = self.all_pages(
            s,
            &HistoryQuery {
                limit: 200,
                ..HistoryQuery::default()
            },
        )?;
        let ids = |events: &[HistoryEvent]| events.iter().map(|e| e.id).collect::<Vec<_>>();
        if ids(&paged) != ids(&whole) {
            return Err(format!(
                "pages of 7 gave {:?}, pages of 200 gave {:?}",
                ids(&paged),
                ids(&whole)
            ));
        }
        Ok(paged)
    }

    /// One mapped filter, checked against the domain's own rule over the whole history.
    pub fn history_filter(&self, s: &Sessions, filter: Filter, all: &[HistoryEvent]) -> Outcome {
        let middle = &all[all.len() / 2];
        let mut query = HistoryQuery {
            limit: 7,
            ..HistoryQuery::default()
        };
        match filter {
            Filter::Kind => query.kind = Some(middle.kind()),
            Filter::Channel => query.channel = Some(middle.channel),
            Filter::From => query.since = Some(middle.occurred_at),
            Filter::To => query.before = Some(middle.occurred_at + 1),
            Filter::Q => {
                query.terms = rapport_domain::history::search_terms(&middle.details.describe());
                query.terms.truncate(1);
            }
        }
        let expected: Vec<i64> = all
            .iter()
            .filter(|e| query.matches(e))
            .map(|e| e.id)
            .collect();
        let got: Vec<i64> = self.all_pages(s, &query)?.iter().map(|e| e.id).collect();
        if got != expected {
            return Err(format!("{query:?} gave {got:?}, expected {expected:?}"));
        }
        if expected.len() == all.len() {
            return Err("the seeded history does not tell filtered from unfiltered".into());
        }
        Ok(())
    }

    /// What a browser on `origin` needs: the preflight of a save, and ETag readable.
    pub fn cors(&self, s: &Sessions) -> Outcome {
        let Some(origin) = &self.origin else {
            return Err("give --origin, the portal's origin, to check CORS".into());
        };
        let value = serde_json::to_value(self.profile("cors")).expect("serialises");
        let write = self
            .engine
            .write_request(Document::Profile, &s.a, Some(Version(1)), &value)
            .map_err(|e| e.to_string())?;
        let read = self
            .engine
            .read_request(Document::Profile, &s.a)
            .map_err(|e| e.to_string())?;
        let mut problems = Vec::new();
        for request in [&write, &read] {
            let wanted: Vec<String> = request
                .headers
                .iter()
                .map(|(n, _)| n.to_ascii_lowercase())
                .collect();
            let answer = self.client.raw(
                "OPTIONS",
                &request.url,
                &[
                    ("Origin", origin),
                    ("Access-Control-Request-Method", &request.method),
                    ("Access-Control-Request-Headers", &wanted.join(",")),
                ],
                None,
            )?;
            let what = format!("the preflight of {} {}", request.method, request.url);
            if !(200..300).contains(&answer.status) {
                problems.push(format!("{what} got {}", answer.status));
                continue;
            }
            if !allows_origin(&answer, origin) {
                problems.push(format!("{what} does not allow {origin}"));
            }
            let methods = answer.header("access-control-allow-methods").unwrap_or("");
            if !listed(methods, &request.method) {
                problems.push(format!("{what} does not allow the method ({methods:?})"));
            }
            let allowed = answer.header("access-control-allow-headers").unwrap_or("");
            for header in &wanted {
                if header != "content-type" && !listed(allowed, header) {
                    problems.push(format!(
                        "{what} does not allow the {header} header ({allowed:?})"
                    ));
                }
            }
        }
        // Each header the portal reads must be exposed on the answer that carries it.
        let mut reads = Vec::new();
        if self.engine.mapping().version.read == VersionSource::Etag {
            reads.push((read.clone(), "etag".to_owned()));
            // A save's answer carries the new version too: a store that exposes ETag only on
            // reads lets the portal save once and then never again.
            let current: Versioned<Profile> = self.read(Document::Profile, &s.a)?;
            let unchanged = serde_json::to_value(&current.data).expect("serialises");
            let save = self
                .engine
                .write_request(Document::Profile, &s.a, Some(current.version), &unchanged)
                .map_err(|e| e.to_string())?;
            reads.push((save, "etag".to_owned()));
        }
        if let Some(history) = &self.engine.mapping().history
            && let Paging::NextLink {
                next: Place::Header(name),
            }
            | Paging::Cursor {
                next: Place::Header(name),
                ..
            } = &history.paging
        {
            let page = self
                .engine
                .history_request(&s.a, &HistoryQuery::default())
                .map_err(|e| e.to_string())?;
            reads.push((page, name.to_ascii_lowercase()));
        }
        if reads.is_empty() {
            reads.push((read.clone(), String::new()));
        }
        for (request, header) in reads {
            let mut with_origin = request.clone();
            with_origin.headers.push(("Origin".into(), origin.clone()));
            let answer = self.send(&with_origin)?;
            if !allows_origin(&answer, origin) {
                problems.push(format!(
                    "{} from {origin} is not allowed",
                    request.operation
                ));
            }
            let exposed = answer.header("access-control-expose-headers").unwrap_or("");
            if !header.is_empty() && !listed(exposed, &header) {
                problems.push(format!(
                    "{header} is not in the Access-Control-Expose-Headers of {} ({exposed:?}); the portal cannot read it",
                    request.operation
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    /// Error answers read through the error pointers: a message for a refused sign-in, and a
    /// refused document's field named where the mapping says.
    pub fn error_mapping(&self, s: &Sessions) -> Outcome {
        let wrong = format!("{}-wrong", self.a.password);
        let request = if self.engine.mapping().auth.kind == AuthKind::Header {
            let session = self
                .engine
                .handed_over(&wrong, &self.a.username, Role::Customer);
            self.engine.read_request(Document::Profile, &session)
        } else {
            self.engine.sign_in_request(&self.a.username, &wrong)
        }
        .map_err(|e| e.to_string())?;
        let answer = self.send(&request)?;
        let refusal = self.engine.refusal(request.operation, &answer);
        if refusal.code.is_none() && refusal.message.is_none() {
            return Err(format!(
                "the refused credentials ({}) have no code or message at the mapped pointers {:?}: {}",
                answer.status,
                self.engine.mapping().errors,
                String::from_utf8_lossy(&answer.body)
            ));
        }
        let errors = &self.engine.mapping().errors;
        if errors.field.is_none() && errors.field_key.is_none() {
            return Ok(());
        }
        let stored: Versioned<Profile> = self.read(Document::Profile, &s.a)?;
        let mut bad = stored.data.clone();
        bad.email = "not an e-mail".into();
        match self.write(Document::Profile, &s.a, Some(stored.version), &bad) {
            Err(Failure::Refused(r)) if r.field.as_deref() == Some("email") => Ok(()),
            Err(Failure::Refused(r)) => Err(format!(
                "the refusal of a bad e-mail names field {:?}, not \"email\"",
                r.field
            )),
            // A store that takes any text leaves validation to the portal; put it back.
            Ok(Saved::Saved(saved)) => {
                match self.write(Document::Profile, &s.a, Some(saved.version), &stored.data) {
                    Ok(Saved::Saved(_)) => Ok(()),
                    other => Err(format!("could not restore the profile: {other:?}")),
                }
            }
            other => Err(format!("unexpected answer to a bad e-mail: {other:?}")),
        }
    }
}

fn allows_origin(answer: &Answer, origin: &str) -> bool {
    answer
        .header("access-control-allow-origin")
        .is_some_and(|o| o == "*" || o.trim_end_matches('/') == origin.trim_end_matches('/'))
}

fn listed(list: &str, item: &str) -> bool {
    list.split(',')
        .map(str::trim)
        .any(|x| x == "*" || x.eq_ignore_ascii_case(item))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(headers: &[(&str, &str)]) -> Answer {
        Answer {
            status: 204,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: Vec::new(),
        }
    }

    #[test]
    fn header_lists_are_read_as_browsers_do() {
        assert!(listed("Authorization, If-Match,content-type", "if-match"));
        assert!(listed("*", "if-match"));
        assert!(!listed("Authorization, If-None-Match", "if-match"));
        assert!(!listed("", "etag"));
    }

    #[test]
    fn only_the_portals_origin_or_any_is_allowed() {
        let origin = "http://127.0.0.1:8080";
        assert!(allows_origin(
            &answer(&[("Access-Control-Allow-Origin", "*")]),
            origin
        ));
        assert!(allows_origin(
            &answer(&[("access-control-allow-origin", "http://127.0.0.1:8080/")]),
            origin
        ));
        assert!(!allows_origin(
            &answer(&[("Access-Control-Allow-Origin", "https://shop.example")]),
            origin
        ));
        assert!(!allows_origin(&answer(&[]), origin));
    }
}
