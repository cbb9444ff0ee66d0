/// Items, their events, supervision orders, breaches and the rollups. The capability's schema steps; `Migrator.all` gathers every capability's.
enum ItemsSchema {
    static let migrations: [any Migration] = [
        CreateItems(),
        CreateItemTallies(),
        IndexEventsByTime(),
        IndexOnlyItemsWithDeadlines(),
        IndexEmergencies(),
        BindIdempotencyKeys(),
        TrackLateness(),
        CountFirstCallbacks(),
        IndexItemPhones(),
        ShareSuggesterModels(),
        MatchPathPrefixesOnPostgreSQL(),
        IndexSQLitePhonesApart(),
        IndexPostgresPhonesUnlogged(),
        SettleDeadlineTiesInTheIndexes(),
        CheckIntakeReferencesPerStatement(),
        SpreadIntakeVacuums(),
        FoldIntakeTallies(),
        OutlastLongSnapshots(),
    ]
}
