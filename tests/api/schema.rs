//! The committed SDL is the schema the code builds.

#[test]
fn committed_schema_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql exists");
    let built = outlet_filing::graphql::sdl();
    assert!(committed == built, "schema.graphql is stale: run `cargo run -- print-schema > schema.graphql`");
}
