//! A JSON column that holds a domain value as it is: `Json<T>` stores `T` by its serde
//! form, so the entity and the rules share one type instead of two of the same shape.
//! These are, written once for every `T`, the impls that sea-orm's `FromJsonQueryResult`
//! derive writes for one type.

use std::ops::{Deref, DerefMut};

use sea_orm::sea_query::{ArrayType, ColumnType, Nullable, ValueType, ValueTypeErr};
use sea_orm::{ActiveValue, IntoActiveValue, TryGetableFromJson, Value};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A value of `T` kept in a JSON column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Json<T>(pub T);

impl<T> Deref for Json<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for Json<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
    }
}

impl<T: Serialize + DeserializeOwned> TryGetableFromJson for Json<T> {}

impl<T: Serialize> From<Json<T>> for Value {
    fn from(source: Json<T>) -> Self {
        // Serializing a plain data type to a JSON value cannot fail: no maps with non-string
        // keys, no custom serializers that refuse.
        let json = serde_json::to_value(&source.0).expect("a domain document serializes to JSON");
        Value::Json(Some(Box::new(json)))
    }
}

impl<T: Serialize + DeserializeOwned> ValueType for Json<T> {
    fn try_from(value: Value) -> Result<Self, ValueTypeErr> {
        match value {
            Value::Json(Some(json)) => serde_json::from_value(*json).map(Json).map_err(|_| ValueTypeErr),
            _ => Err(ValueTypeErr),
        }
    }

    fn type_name() -> String {
        format!("Json<{}>", std::any::type_name::<T>())
    }

    fn array_type() -> ArrayType {
        ArrayType::Json
    }

    fn column_type() -> ColumnType {
        ColumnType::Json
    }
}

impl<T> Nullable for Json<T> {
    fn null() -> Value {
        Value::Json(None)
    }
}

impl<T: Serialize> IntoActiveValue<Json<T>> for Json<T>
where
    Json<T>: Into<Value>,
{
    fn into_active_value(self) -> ActiveValue<Json<T>> {
        ActiveValue::set(self)
    }
}

#[cfg(test)]
mod tests {
    use domain::reports::ReportFigures;

    use super::*;

    #[test]
    fn a_document_goes_to_its_json_and_back() {
        let figures = Json(ReportFigures { searches: 3, smes_served: 7, ..Default::default() });
        let value = Value::from(figures);
        let Value::Json(Some(json)) = &value else { panic!("stored as JSON") };
        assert_eq!(json["searches"], 3);
        assert_eq!(json["smesServed"], 7);
        assert_eq!(<Json<ReportFigures> as ValueType>::try_from(value).unwrap(), figures);
    }
}
