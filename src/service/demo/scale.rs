//! Demo data at the size of a busy region, for benchmarks:
//! `outlet-filing seed-demo --institutions 100000 --filings 150000 --outlets 20000`.
//!
//! The rows copy the first demo institution (its profile meets Art 5) under new names and
//! codes, spread over the 14 departments and the eight kinds, and are written in bulk:
//! going through the use cases one row at a time would take hours at this size and would
//! measure nothing the tests do not already prove. What it writes:
//!
//! - `institutions` institutions, each with the template's staff, databases and service
//!   items;
//! - one filing per institution, then older closed ones for the first institutions until
//!   there are `filings`; open filings move through every open state, so each role has
//!   work waiting;
//! - `outlets` outlets for the first institutions, filed over the last three and a half
//!   years, so about one in seven has expired and left the public list;
//! - their search tags, and the outlet-number counters, so that outlets filed later
//!   continue the numbering.

use chrono::{Datelike as _, Duration, NaiveDate};
use entity::document::Json;
use entity::sea_orm_active_enums::{FilingKind, FilingState, InstitutionKind};
use entity::{
    counter, filing, institution, institution_database, institution_service_item, institution_staff, outlet,
    outlet_tag, user,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseTransaction, EntityTrait, QueryFilter,
    QuerySelect, Statement,
};

use crate::db::{begin_write, mapping};
use crate::domain::uscc::Uscc;
use crate::domain::workflow::filing::is_open;
use crate::service::lookups;
use crate::service::outlets;
use crate::service::usecase::today;
use crate::state::AppState;

/// How much demo data to grow.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub institutions: u32,
    pub filings: u32,
    pub outlets: u32,
}

impl Scale {
    /// The rows [`grow`] will write, for a progress bar.
    pub fn institutions_to_write(self) -> u64 {
        u64::from(self.institutions)
    }

    fn check(self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.outlets <= self.institutions,
            "--outlets ({}) cannot exceed --institutions ({}): an outlet is an institution that was filed",
            self.outlets,
            self.institutions
        );
        anyhow::ensure!(
            self.filings >= self.institutions && self.filings <= 2 * self.institutions,
            "--filings ({}) must lie between --institutions and twice that ({}..={}): every \
             institution has one filing and some have an older one",
            self.filings,
            self.institutions,
            2 * self.institutions
        );
        Ok(())
    }
}

/// Institutions written per transaction, with all their rows.
const CHUNK: u32 = 500;

/// The states the current filings of institutions that are not outlets go through, in turn.
const CURRENT_STATES: [FilingState; 7] = [
    FilingState::Draft,
    FilingState::Submitted,
    FilingState::Returned,
    FilingState::Recommended,
    FilingState::NotRecommended,
    FilingState::Rejected,
    FilingState::Withdrawn,
];

const KINDS: [InstitutionKind; 8] = [
    InstitutionKind::University,
    InstitutionKind::ResearchInstitute,
    InstitutionKind::ScitechInformation,
    InstitutionKind::IndustryOrganization,
    InstitutionKind::ProductivityPromotion,
    InstitutionKind::PublicLibrary,
    InstitutionKind::Museum,
    InstitutionKind::ServiceAgency,
];

/// The first demo institution and its profile rows, copied for every new one.
struct Template {
    institution: institution::Model,
    staff: Vec<institution_staff::Model>,
    databases: Vec<institution_database::Model>,
    service_items: Vec<institution_service_item::Model>,
}

/// Where the new rows start: one past the largest ids in use.
#[derive(Clone, Copy)]
struct Start {
    institution: i64,
    filing: i64,
    outlet: i64,
}

/// Grows the demo data by `scale`, calling `advanced` with the number of institutions
/// written after each transaction. Run it after [`super::seed`].
///
/// # Errors
/// When the scale is inconsistent, the demo data is missing, or the database fails.
pub async fn grow(state: &AppState, scale: Scale, advanced: impl Fn(u64)) -> anyhow::Result<()> {
    scale.check()?;
    let filed = outlet::Entity::find().one(&state.db).await?;
    anyhow::ensure!(
        filed.is_none(),
        "outlets exist already: grow the demo data on a fresh database (seed-demo, then seed-demo with the sizes)"
    );
    let template = template(state).await?;
    let start = Start {
        institution: next_id::<institution::Entity>(state, institution::Column::Id).await?,
        filing: next_id::<filing::Entity>(state, filing::Column::Id).await?,
        outlet: next_id::<outlet::Entity>(state, outlet::Column::Id).await?,
    };
    let today = today(state);
    let departments: Vec<(String, String)> =
        state.departments.all().iter().map(|d| (d.code.clone(), d.name.clone())).collect();
    let mut numbers = std::collections::BTreeMap::<i32, i64>::new();
    let mut first = 0;
    while first < scale.institutions {
        let last = (first + CHUNK).min(scale.institutions);
        let txn = begin_write(&state.writer).await?;
        let written = Chunk { state, template: &template, start, scale, today, departments: &departments };
        written.write(&txn, first..last, &mut numbers).await?;
        txn.commit().await?;
        advanced(u64::from(last - first));
        first = last;
    }
    let txn = begin_write(&state.writer).await?;
    for (year, value) in numbers {
        counter::Entity::insert(counter::ActiveModel {
            name: Set(format!("outlet-{year}")),
            value: Set(value),
        })
        .exec_without_returning(&txn)
        .await?;
    }
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        // The rows carry their ids; move the sequences past them.
        for table in [
            "institutions",
            "institution_staff",
            "institution_databases",
            "institution_service_items",
            "filings",
            "outlets",
        ] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            );
            txn.execute_raw(Statement::from_string(DatabaseBackend::Postgres, sql)).await?;
        }
    }
    txn.commit().await?;
    // The planner's statistics describe an almost empty database until refreshed.
    crate::db::refresh_statistics(&state.writer).await?;
    Ok(())
}

async fn template(state: &AppState) -> anyhow::Result<Template> {
    let username = super::INSTITUTIONS[0].0;
    let institution_id = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&state.db)
        .await?
        .and_then(|u| u.institution_id)
        .ok_or_else(|| {
            anyhow::anyhow!("the demo account {username} is missing: run `seed-demo` once first")
        })?;
    let institution = institution::Entity::find_by_id(institution_id)
        .one(&state.db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the institution of {username} is missing"))?;
    let ids = [institution.id];
    Ok(Template {
        staff: lookups::staff_of(&state.db, &ids).await.map_err(failed)?,
        databases: lookups::databases_of(&state.db, &ids).await.map_err(failed)?,
        service_items: lookups::service_items_of(&state.db, &ids).await.map_err(failed)?,
        institution,
    })
}

fn failed(error: crate::error::AppError) -> anyhow::Error {
    anyhow::anyhow!("{}", error.message())
}

async fn next_id<E: EntityTrait>(state: &AppState, id: E::Column) -> anyhow::Result<i64> {
    let largest: Option<Option<i64>> =
        E::find().select_only().column_as(id.max(), "largest").into_tuple().one(&state.db).await?;
    Ok(largest.flatten().unwrap_or(0) + 1)
}

/// One transaction's worth of institutions and everything they hold.
struct Chunk<'a> {
    state: &'a AppState,
    template: &'a Template,
    start: Start,
    scale: Scale,
    today: NaiveDate,
    departments: &'a [(String, String)],
}

impl Chunk<'_> {
    async fn write(
        &self,
        txn: &DatabaseTransaction,
        range: std::ops::Range<u32>,
        numbers: &mut std::collections::BTreeMap<i32, i64>,
    ) -> anyhow::Result<()> {
        let now = self.state.clock.now();
        let t = self.template;
        let mut institutions = Vec::new();
        let (mut staff, mut databases, mut items) = (Vec::new(), Vec::new(), Vec::new());
        let (mut filings, mut filed, mut tags) = (Vec::new(), Vec::new(), Vec::new());
        for n in range {
            let id = self.start.institution + i64::from(n);
            // Departments take turns; kinds and states change from one round of departments
            // to the next, so that every department has every kind and state.
            let (code, department) = &self.departments[n as usize % self.departments.len()];
            let round = n as usize / self.departments.len();
            let uscc = Uscc::with_checks(&format!("12{code}{:08}", 50_000_000 + id))
                .map_err(|e| anyhow::anyhow!("generated code {n}: {e}"))?;
            let model = institution::Model {
                id,
                uscc: uscc.to_string(),
                name: format!("{department}知识产权信息服务机构{id:06}"),
                kind: KINDS[round % KINDS.len()],
                department_code: code.clone(),
                version: 1,
                created_at: now,
                updated_at: now,
                ..t.institution.clone()
            };
            let form = mapping::form_of_institution(&model, &t.staff, &t.databases, &t.service_items);
            institutions.push(institution::ActiveModel::from(model));
            staff.extend(t.staff.iter().map(|s| institution_staff::ActiveModel {
                id: NotSet,
                institution_id: Set(id),
                ..institution_staff::ActiveModel::from(s.clone())
            }));
            databases.extend(t.databases.iter().map(|d| institution_database::ActiveModel {
                id: NotSet,
                institution_id: Set(id),
                ..institution_database::ActiveModel::from(d.clone())
            }));
            items.extend(t.service_items.iter().map(|s| institution_service_item::ActiveModel {
                id: NotSet,
                institution_id: Set(id),
                ..institution_service_item::ActiveModel::from(s.clone())
            }));

            let filing_id = self.start.filing + i64::from(n);
            let is_outlet = n < self.scale.outlets;
            let current =
                if is_outlet { FilingState::Filed } else { CURRENT_STATES[round % CURRENT_STATES.len()] };
            let outlet_id = is_outlet.then(|| self.start.outlet + i64::from(n));
            let age = Duration::days(i64::from(n % 1_277));
            let submitted = (current != FilingState::Draft).then(|| now - age);
            filings.push(filing::ActiveModel {
                id: Set(filing_id),
                institution_id: Set(id),
                department_code: Set(code.clone()),
                kind: Set(FilingKind::Initial),
                state: Set(current),
                form: Set(Json(form.clone())),
                declaration_accepted: Set(current != FilingState::Draft),
                open_for_institution: Set(is_open(current.into()).then_some(id)),
                version: Set(3),
                created_at: Set(now - age),
                updated_at: Set(now - age),
                submitted_at: Set(submitted),
                outlet_id: Set(outlet_id),
            });
            // An older closed filing for the first institutions, until there are enough.
            if n < self.scale.filings - self.scale.institutions {
                let older = now - age - Duration::days(400);
                filings.push(filing::ActiveModel {
                    id: Set(self.start.filing + i64::from(self.scale.institutions) + i64::from(n)),
                    state: Set(if n % 2 == 0 { FilingState::Rejected } else { FilingState::Withdrawn }),
                    open_for_institution: Set(None),
                    outlet_id: Set(None),
                    created_at: Set(older),
                    updated_at: Set(older),
                    submitted_at: Set(Some(older)),
                    ..filings.last().cloned().expect("pushed above")
                });
            }
            if let Some(outlet_id) = outlet_id {
                // Filed over the last 42 months: those filed more than three years ago
                // have expired.
                let filed_on = self.today - Duration::days(i64::from(n % 1_277));
                let sequence = numbers.entry(filed_on.year()).or_default();
                *sequence += 1;
                filed.push(outlet::ActiveModel {
                    id: Set(outlet_id),
                    ..outlets::new_row(filing_id, id, &form, *sequence, filed_on, now)
                });
                let names = outlets::tags_of(&form);
                tags.extend(
                    names
                        .into_iter()
                        .map(|tag| outlet_tag::ActiveModel { outlet_id: Set(outlet_id), tag: Set(tag) }),
                );
            }
        }
        insert_all::<institution::Entity>(txn, institutions).await?;
        insert_all::<institution_staff::Entity>(txn, staff).await?;
        insert_all::<institution_database::Entity>(txn, databases).await?;
        insert_all::<institution_service_item::Entity>(txn, items).await?;
        insert_all::<filing::Entity>(txn, filings).await?;
        insert_all::<outlet::Entity>(txn, filed).await?;
        insert_all::<outlet_tag::Entity>(txn, tags).await?;
        Ok(())
    }
}

/// Inserts `rows` a few hundred at a time, within the bound parameters a statement may
/// carry on either database.
async fn insert_all<E: EntityTrait>(
    txn: &DatabaseTransaction,
    rows: Vec<E::ActiveModel>,
) -> anyhow::Result<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<_> = rows.by_ref().take(250).collect();
        E::insert_many(batch).exec_without_returning(txn).await?;
    }
    Ok(())
}
