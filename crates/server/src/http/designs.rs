//! `GET` and `PUT /me/designs`: the customer's saved product designs, one versioned document
//! guarded like the profile (see [`super::versioned`]).

use super::versioned;
use crate::AppState;
use crate::auth::Me;
use crate::error::{AppError, AppJson};
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use rapport_domain::designs::{Designs, DesignsProblem};
use rapport_domain::fields::Editable;
use rapport_domain::text::{self, Lines};

/// `/me/designs`.
pub fn router() -> Router<AppState> {
    Router::new().route("/me/designs", get(read).put(write))
}

async fn read(State(state): State<AppState>, me: Me) -> Result<Response, AppError> {
    versioned::read::<Designs>(&state, me).await
}

async fn write(
    State(state): State<AppState>,
    me: Me,
    headers: HeaderMap,
    AppJson(designs): AppJson<Designs>,
) -> Result<Response, AppError> {
    let mut designs = designs.normalized();
    refuse_problems(&designs)?;
    for design in &mut designs.designs {
        design.name = text::clean(&design.name);
    }
    versioned::write(&state, me, &headers, designs).await
}

/// The first thing that stops the document from being stored, as a 422 naming the design
/// by its place in the list (`designs[2].name`).
fn refuse_problems(designs: &Designs) -> Result<(), AppError> {
    // An id names the last design that has it: the one a duplicate makes wrong.
    let at = |id: &str| {
        designs
            .designs
            .iter()
            .rposition(|d| d.id == id)
            .map_or_else(|| "designs".to_owned(), |i| format!("designs[{i}]"))
    };
    if let Some(problem) = designs.problems().into_iter().next() {
        let field = match &problem {
            DesignsProblem::TooMany => "designs".to_owned(),
            DesignsProblem::BadId(id) => format!("{}.id", at(id)),
            DesignsProblem::NameMissing(id) | DesignsProblem::NameTooLong(id) => {
                format!("{}.name", at(id))
            }
            DesignsProblem::TooBig(id) => format!("{}.spec", at(id)),
        };
        return Err(AppError::Invalid {
            code: problem.code(),
            message: problem.message(),
            field,
        });
    }
    // Names are free text like any other a customer sends: the clean-text rule applies.
    for (i, design) in designs.designs.iter().enumerate() {
        if let Some(problem) = text::check(&design.name, Lines::Single) {
            let field = format!("designs[{i}].name");
            return Err(AppError::Invalid {
                code: problem.code(),
                message: problem.message(&field),
                field,
            });
        }
    }
    Ok(())
}
