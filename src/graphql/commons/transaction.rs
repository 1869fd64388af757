//! Running a mutation's writes as one database transaction.

use crate::domain::DomainError;

/// Commits on success, rolls back otherwise (also when the request is cancelled: a
/// dropped transaction rolls back).
pub async fn finish<T>(
    txn: sea_orm::DatabaseTransaction,
    result: Result<T, DomainError>,
) -> Result<T, DomainError> {
    match result {
        Ok(value) => {
            txn.commit().await?;
            Ok(value)
        }
        Err(err) => {
            txn.rollback().await?;
            Err(err)
        }
    }
}
