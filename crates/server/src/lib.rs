//! Rapport's reference backend, the portal's embedded default.
//!
//! It implements the HTTP contract in `docs/openapi.yaml` over a SQLite file and serves the
//! built portal beside it. Code tour: [`settings`] (flags), [`store`] (all SQL), [`auth`]
//! (passwords, session tokens and the extractor that finds "me"), [`http`] (one module per
//! feature, each with its own router), [`error`] (the one error type and its JSON shape),
//! [`site`] (static files under a strict Content-Security-Policy), [`cors`] (host pages on
//! other origins that embed the portal).

pub mod auth;
pub mod cors;
pub mod error;
pub mod http;
pub mod settings;
pub mod site;
pub mod store;

pub use settings::{Command, Settings};

use axum::Router;
use axum::http::{HeaderValue, header};
use rapport_domain::config::PortalConfig;
use std::sync::Arc;
use store::Store;
use tower_http::set_header::SetResponseHeaderLayer;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The portal's configuration: what customers may answer is enforced here too.
    pub config: Arc<PortalConfig>,
}

/// The whole application: the API under `/api` and, when `dist` is given, the portal.
pub fn app(state: AppState, dist: Option<&std::path::Path>) -> std::io::Result<Router> {
    let api = http::router()
        .with_state(state)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let router = Router::new().nest("/api", api);
    Ok(match dist {
        Some(dist) => router.fallback_service(site::service(dist)?),
        None => router,
    })
}

/// Opens the database (creating it with demo data when new) and serves until Ctrl-C, or runs
/// the subcommand given instead.
pub async fn run(settings: Settings) -> Result<(), Box<dyn std::error::Error>> {
    let store = Store::open(&settings.db)?;
    if settings.demo_data {
        store.call(store::demo::seed_if_empty).await?;
    }
    match settings.command {
        Some(Command::SeedHistory(args)) => return seed_history(&store, args).await,
        Some(Command::Erase(args)) => return erase(&store, args).await,
        None => {}
    }
    let config = Arc::new(settings::load_config(&settings)?);
    // The catalog holds every consent screen from the moment it can be shown, so a text that
    // is replaced before anyone decides on it is still on record.
    let screens = rapport_domain::consent::ScreenText::all(&config);
    store
        .call(move |conn| store::consent::register_screens(conn, &screens))
        .await?;
    let dist = settings.dist.exists().then_some(settings.dist.as_path());
    if dist.is_none() {
        tracing::warn!(
            "no built portal at {}: serving the API only (run `make run` to build it)",
            settings.dist.display()
        );
    }
    let app = app(AppState { store, config }, dist)?;
    let app = cors::apply(app, &settings.allow_origins)?;
    let listener = tokio::net::TcpListener::bind(settings.addr).await?;
    tracing::info!("Rapport listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// `seed-history`: replaces one customer's history with a generated one, in one transaction.
async fn seed_history(
    store: &Store,
    args: settings::SeedHistory,
) -> Result<(), Box<dyn std::error::Error>> {
    use store::{customers, documents, history_demo};
    let started = std::time::Instant::now();
    let end = args.end.unwrap_or_else(store::now);
    let (email, events, seed) = (args.email.clone(), args.events, args.seed);
    store
        .call(move |conn| {
            let tx = conn.transaction()?;
            let customer = match history_demo::customer_by_email(&tx, &args.email)? {
                Some(id) => id,
                None => {
                    let hash = customers::hash_password(&args.password)?;
                    let id = customers::create(&tx, args.email.trim(), &hash)?;
                    documents::create(
                        &tx,
                        id,
                        &rapport_domain::Profile {
                            email: args.email.trim().to_owned(),
                            ..rapport_domain::Profile::default()
                        },
                    )?;
                    id
                }
            };
            history_demo::seed(&tx, customer, args.events, args.seed, end)?;
            tx.commit()?;
            Ok::<_, store::StoreError>(())
        })
        .await?;
    tracing::info!(
        "seeded {events} events (seed {seed}) for {email} in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `erase`: carries out the open erasure requests (or the one named), or refuses one.
async fn erase(store: &Store, args: settings::Erase) -> Result<(), Box<dyn std::error::Error>> {
    use store::requests;
    if let (Some(id), Some(reason)) = (args.request, args.refuse.clone()) {
        if reason.trim().is_empty() {
            return Err("--refuse needs a reason the customer can read".into());
        }
        store
            .call(move |conn| requests::refuse(conn, id, &reason))
            .await?;
        tracing::info!("refused erasure request {id}");
        return Ok(());
    }
    let ids = match args.request {
        Some(id) => vec![id],
        None => store.call(|conn| requests::open_ids(conn)).await?,
    };
    if ids.is_empty() {
        tracing::info!("no open erasure requests");
    }
    for id in ids {
        store.call(move |conn| requests::erase(conn, id)).await?;
        tracing::info!("erasure request {id} done");
    }
    Ok(())
}
