//! What identity's part of the schema says itself.

domain::catalogue! {
    /// What identity's resolvers say.
    pub enum Text {
        HeartbeatInterval {
            en: "intervalSeconds must be between 1 and 60",
            es: "intervalSeconds debe estar entre 1 y 60",
            pt: "intervalSeconds deve estar entre 1 e 60",
        }
    }
}
