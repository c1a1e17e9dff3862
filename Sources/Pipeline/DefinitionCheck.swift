import Logging
import Profiles

extension BuildPipeline {
    /// Every check of the definitions, writing nothing: they are loaded (each mistake with file,
    /// line and key: `.configuration`), the drop is read (`.badInput` when over tolerance), every
    /// profile is built in memory, and what the drop says about the definitions is returned:
    /// conditions on fields without a code list that matched no row, tables and success measures
    /// with nothing in the reporting year. For an analyst's edit loop (`profiler profiles check`).
    public static func checkDefinitions(_ request: BuildRequest, layout: ProjectLayout, log: Logger) throws(PipelineFailure)
        -> [DefinitionWarning]
    {
        let prepared = try request.drop.prepare(layout: layout, log: log)
        let definitions = try Definitions.load(request, prepared: prepared, layout: layout, log: log)
        let ingested = try request.drop.ingest(prepared, log: log)
        if ingested.status == .failed {
            log.error(
                "profiler profiles check: the drop is over its tolerance or incomplete (see profiler validate)",
                metadata: ["phase": "ingest"])
            throw .badInput
        }
        let stages = Stages(
            request: request, layout: layout, definitions: definitions, drops: prepared.drops, sources: prepared.catalogue, log: log)
        return stages.definitionWarnings(ingested)
    }
}
