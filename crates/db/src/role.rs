//! [`Role`] in the database: the Postgres enum `berth_role`, whose labels are [`Role::key`].

use crate::schema::sql_types::BerthRole;
use berth_domain::Role;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use std::io::Write;

/// The diesel side of [`Role`] (which lives in the wasm-safe domain crate, without diesel).
/// Row structs keep `Role` fields and name this type in `serialize_as` / `deserialize_as`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, AsExpression, FromSqlRow)]
#[diesel(sql_type = BerthRole)]
pub struct DbRole(pub Role);

impl From<Role> for DbRole {
    fn from(role: Role) -> Self {
        DbRole(role)
    }
}

impl From<DbRole> for Role {
    fn from(role: DbRole) -> Self {
        role.0
    }
}

impl ToSql<BerthRole, Pg> for DbRole {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        out.write_all(self.0.key().as_bytes())?;
        Ok(IsNull::No)
    }
}

impl FromSql<BerthRole, Pg> for DbRole {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        let label = std::str::from_utf8(bytes.as_bytes())?;
        Ok(DbRole(label.parse::<Role>()?))
    }
}
