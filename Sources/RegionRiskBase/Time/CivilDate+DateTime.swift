extension CivilDate {
    /// The start of the day as an ISO 8601 UTC datetime, e.g. "2025-07-01T00:00:00Z": with a
    /// time part, so that map tools (kepler.gl) read it as a datetime rather than as text.
    public var startOfDayUTC: String { "\(description)T00:00:00Z" }

    /// The end of the day, exclusive: the next day's start ("2025-07-01" → "2025-07-02T00:00:00Z").
    public var endOfDayUTC: String { adding(days: 1).startOfDayUTC }
}
