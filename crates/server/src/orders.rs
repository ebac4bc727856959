//! `rapport-server orders list` and `rapport-server orders fulfil REFERENCE`: the business's
//! side of the orders customers place in the portal.
//!
//! Fulfilling is a command, like carrying out an erasure, because it stands for something
//! done outside the portal (the box packed and sent); a shop system would call the same
//! store operation. The list goes to standard output, one order a line, for people and
//! scripts alike; what was done goes to the log.

use crate::settings::{Orders, OrdersAction};
use crate::store::Store;
use rapport_domain::designs::PlacedOrder;
use rapport_domain::time::format_utc;
use std::io::Write;

/// Runs `orders …`.
pub async fn run(store: &Store, args: Orders) -> Result<(), Box<dyn std::error::Error>> {
    match args.action {
        OrdersAction::List => {
            let open = store.open_orders().await?;
            let mut out = std::io::stdout().lock();
            for order in &open {
                writeln!(out, "{}", line(&order.order, &order.email))?;
            }
            if open.is_empty() {
                tracing::info!("no open orders");
            }
        }
        OrdersAction::Fulfil { reference } => {
            let order = store.fulfil_order(&reference).await?;
            tracing::info!(
                "order {} fulfilled: a purchase of {} in the customer's history",
                order.reference,
                money(order.total_minor, &order.currency)
            );
        }
    }
    Ok(())
}

/// `R-7KX2M9QD  2026-11-30 10:12:00  ann@example.se  "Morning box" (fika-box)  528.00 SEK`
fn line(order: &PlacedOrder, email: &str) -> String {
    format!(
        "{}  {}  {}  {:?} ({})  {}",
        order.reference,
        format_utc(order.received_at)
            .replace('T', " ")
            .trim_end_matches('Z'),
        email,
        order.name,
        order.model,
        money(order.total_minor, &order.currency)
    )
}

/// An amount in minor units as the operator reads it, assuming two decimals (SEK, EUR…).
fn money(minor: i64, currency: &str) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let minor = minor.unsigned_abs();
    format!("{sign}{}.{:02} {currency}", minor / 100, minor % 100)
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_reads_as_units_and_hundredths() {
        assert_eq!(money(52_800, "SEK"), "528.00 SEK");
        assert_eq!(money(5, "EUR"), "0.05 EUR");
        assert_eq!(money(-1_050, "SEK"), "-10.50 SEK");
    }
}
