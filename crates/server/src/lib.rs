//! Rapport's reference backend, the portal's embedded default.
//!
//! It implements the HTTP contract in `docs/openapi.yaml` over SQLite or PostgreSQL and serves
//! the built portal beside it. Code tour: [`settings`] (flags), [`store`] (all SQL), [`auth`]
//! (passwords, session tokens and the extractor that finds "me"), [`http`] (one module per
//! feature, each with its own router), [`error`] (the one error type and its JSON shape),
//! [`site`] (static files under a strict Content-Security-Policy), [`limits`] (rate limits,
//! bounded password hashing, request limits) and [`serve`] (connections: cap and timeouts),
//! [`accounts`] (the `add-account` command), [`backup`] (the `backup` and `restore` commands),
//! [`cors`] (host pages on other origins that embed the portal), [`orders`] (the `orders`
//! command: the business fulfils what customers ordered).

pub mod accounts;
pub mod auth;
pub mod backup;
pub mod cors;
pub mod error;
pub mod http;
pub mod ledger_cli;
pub mod ledger_key;
pub mod limits;
pub mod orders;
pub mod serve;
pub mod settings;
pub mod site;
pub mod store;

pub use settings::{Command, Settings};

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use limits::{Guards, Limits};
use rapport_domain::catalogue::Catalogue;
use rapport_domain::config::PortalConfig;
use std::sync::Arc;
use store::Store;
use tower::ServiceBuilder;
use tower_http::set_header::SetResponseHeaderLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The portal's configuration: what customers may answer is enforced here too.
    pub config: Arc<PortalConfig>,
    /// Rate limiters and the password-hashing slots.
    pub guards: Arc<Guards>,
    /// Signs the consent ledger's head; kept outside the database (see [`ledger_key`]).
    pub ledger_key: Arc<ledger_key::LedgerKey>,
    /// The products customers can design and order, read from the configuration once; none
    /// when the business offers none.
    pub catalogue: Option<Arc<Catalogue>>,
}

impl AppState {
    /// The state for `store` and `config` under the default [`Limits`].
    pub fn new(
        store: Store,
        config: impl Into<Arc<PortalConfig>>,
        ledger_key: Arc<ledger_key::LedgerKey>,
    ) -> Result<AppState, store::StoreError> {
        AppState::with_limits(store, config, ledger_key, Limits::default())
    }

    /// The state under `limits`.
    pub fn with_limits(
        store: Store,
        config: impl Into<Arc<PortalConfig>>,
        ledger_key: Arc<ledger_key::LedgerKey>,
        limits: Limits,
    ) -> Result<AppState, store::StoreError> {
        let config: Arc<PortalConfig> = config.into();
        // The configuration was checked as it was read (`PortalConfig::from_json` lists a
        // catalogue's mistakes too), so a catalogue that fails here was built by hand.
        let catalogue = match config.catalogue() {
            Ok(catalogue) => catalogue.map(Arc::new),
            Err(problems) => {
                for problem in &problems {
                    tracing::error!("configuration: {problem}; orders are not taken");
                }
                None
            }
        };
        Ok(AppState {
            store,
            config,
            catalogue,
            guards: Arc::new(Guards::new(limits)?),
            ledger_key,
        })
    }
}

/// The whole application: the API under `/api` and, when `dist` is given, the portal.
///
/// The API sheds load rather than queueing it: beyond `max_in_flight` requests at once, or
/// past `request_timeout`, the answer is 503 with `Retry-After`; bodies over `max_body_bytes`
/// are 413 and must arrive within `body_timeout`.
pub fn app(state: AppState, dist: Option<&std::path::Path>) -> std::io::Result<Router> {
    let limits = state.guards.limits.clone();
    let backend_url = state.config.backend.base_url.clone();
    let api = http::router()
        .with_state(state)
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
            limits.body_timeout,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|err: tower::BoxError| async move {
                    if err.is::<tower::load_shed::error::Overloaded>()
                        || err.is::<tower::timeout::error::Elapsed>()
                    {
                        error::AppError::Overloaded { retry_after: 1 }
                    } else {
                        error::AppError::Internal(err.to_string())
                    }
                }))
                .load_shed()
                .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                    limits.max_in_flight,
                ))
                .timeout(limits.request_timeout),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ));
    let router = Router::new().nest("/api", api);
    Ok(match dist {
        Some(dist) => router.fallback_service(site::service(dist, &backend_url)?),
        None => router,
    })
}

/// Opens the database (creating it with demo data when new) and serves until Ctrl-C, or runs
/// the subcommand given instead.
pub async fn run(settings: Settings) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(done) = ledger_cli::run(&settings) {
        return done;
    }
    let database = store::Database::parse(&settings.db);
    // Before connecting: a connection would migrate the database a restore must find empty.
    match &settings.command {
        Some(Command::Backup(args)) => return backup::backup(&database, &args.to).await,
        Some(Command::Restore(args)) => return backup::restore(&database, &args.from).await,
        _ => {}
    }
    let store = Store::connect(&database, settings.limits.db_readers).await?;
    tracing::info!("database: {database}");
    match settings.command {
        Some(Command::SeedHistory(args)) => return seed_history(&store, args).await,
        Some(Command::Erase(args)) => return erase(&store, args).await,
        Some(Command::AddAccount(args)) => return add_account(&store, args).await,
        Some(Command::Orders(args)) => return orders::run(&store, args).await,
        Some(
            Command::VerifyLedger(_)
            | Command::LedgerKey(_)
            | Command::Backup(_)
            | Command::Restore(_),
        )
        | None => {}
    }
    if settings.demo_data {
        store.seed_demo_if_empty().await?;
    }
    let config = Arc::new(settings::load_config(&settings)?);
    // The catalog holds every consent screen from the moment it can be shown, so a text that
    // is replaced before anyone decides on it is still on record.
    let screens = rapport_domain::consent::ScreenText::all(&config);
    store.register_screens(screens).await?;
    let ledger_key = Arc::new(ledger_key::LedgerKey::load_or_create(&settings.ledger_key)?);
    if let Some(seq) = store.sign_unsigned_ledger(Arc::clone(&ledger_key)).await? {
        tracing::info!("signed the consent ledger's head (entry {seq}) for the first time");
    }
    let dist = settings.dist.exists().then_some(settings.dist.as_path());
    if dist.is_none() {
        tracing::warn!(
            "no built portal at {}: serving the API only (run `make run` to build it)",
            settings.dist.display()
        );
    }
    let limits = settings.limits.limits();
    let state = {
        let (store, limits) = (store.clone(), limits.clone());
        // The dummy password hash takes an Argon2 run: off the async threads.
        tokio::task::spawn_blocking(move || {
            AppState::with_limits(store, config, ledger_key, limits)
        })
        .await??
    };
    tokio::spawn(maintenance(
        store,
        Arc::clone(&state.guards),
        settings.limits.prune_every(),
    ));
    let app = app(state, dist)?;
    let app = cors::apply(app, &settings.allow_origins)?;
    let listener = tokio::net::TcpListener::bind(settings.addr).await?;
    tracing::info!("Rapport listening on http://{}", listener.local_addr()?);
    serve::serve(listener, app, &limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

/// Every `every`: deletes expired sessions and forgets rate-limiter keys that have recovered.
async fn maintenance(store: Store, guards: Arc<Guards>, every: std::time::Duration) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        match store.prune_sessions().await {
            Ok(0) => {}
            Ok(n) => tracing::info!("pruned {n} expired sessions"),
            Err(err) => tracing::error!("pruning sessions: {err}"),
        }
        guards.forget_idle();
    }
}

/// `seed-history`: replaces one customer's history with a generated one, in one transaction.
async fn seed_history(
    store: &Store,
    args: settings::SeedHistory,
) -> Result<(), Box<dyn std::error::Error>> {
    let started = std::time::Instant::now();
    let end = args.end.unwrap_or_else(store::now);
    let (email, events, seed) = (args.email.trim().to_owned(), args.events, args.seed);
    let password = args.password;
    let hash =
        tokio::task::spawn_blocking(move || store::customers::hash_password(&password)).await??;
    store.seed_history(&email, &hash, events, seed, end).await?;
    tracing::info!(
        "seeded {events} events (seed {seed}) for {email} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `add-account`: creates a customer or a privacy officer; the password is never logged.
async fn add_account(
    store: &Store,
    args: settings::AddAccount,
) -> Result<(), Box<dyn std::error::Error>> {
    let role = if args.officer {
        store::customers::Role::PrivacyOfficer
    } else {
        store::customers::Role::Customer
    };
    let password = accounts::password_for(&args.email)?;
    accounts::add_account(store, &args.email, password, role).await?;
    tracing::info!(
        "created the {} account {}",
        role.as_str(),
        args.email.trim()
    );
    Ok(())
}

/// `erase`: carries out the open erasure requests (or the one named), or refuses one.
async fn erase(store: &Store, args: settings::Erase) -> Result<(), Box<dyn std::error::Error>> {
    if let (Some(id), Some(reason)) = (args.request, args.refuse.clone()) {
        if reason.trim().is_empty() {
            return Err("--refuse needs a reason the customer can read".into());
        }
        store.refuse_erasure(id, &reason).await?;
        tracing::info!("refused erasure request {id}");
        return Ok(());
    }
    let ids = match args.request {
        Some(id) => vec![id],
        None => store.open_erasure_ids().await?,
    };
    if ids.is_empty() {
        tracing::info!("no open erasure requests");
    }
    for id in ids {
        store.erase(id).await?;
        tracing::info!("erasure request {id} done");
    }
    Ok(())
}
