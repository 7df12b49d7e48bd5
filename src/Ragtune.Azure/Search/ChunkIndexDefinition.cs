using Azure.Search.Documents.Indexes.Models;

namespace Ragtune.Azure.Search;

/// <summary>
/// The definition of the chunk index: fields (a chunk's section searchable beside its content), HNSW cosine vector search,
/// a semantic configuration with the section as its title. Fields are only ever added, so that an index made before
/// takes the new definition in place.
/// </summary>
internal static class ChunkIndexDefinition
{
    public static SearchIndex Create(AzureSearchOptions options, int dimensions) => new(options.IndexName)
    {
        Fields =
        {
            new SimpleField(ChunkFields.Key, SearchFieldDataType.String) { IsKey = true, IsFilterable = true },
            new SimpleField(ChunkFields.ChunkId, SearchFieldDataType.String),
            new SimpleField(ChunkFields.DocumentId, SearchFieldDataType.String) { IsFilterable = true },
            new SimpleField(ChunkFields.Generation, SearchFieldDataType.String) { IsFilterable = true },
            new SimpleField(ChunkFields.Committed, SearchFieldDataType.Boolean) { IsFilterable = true },
            new SimpleField(ChunkFields.Ordinal, SearchFieldDataType.Int32) { IsSortable = true },
            new SearchableField(ChunkFields.Content) { AnalyzerName = LexicalAnalyzerName.StandardLucene },
            new SearchableField(ChunkFields.Section) { AnalyzerName = LexicalAnalyzerName.StandardLucene },
            new SimpleField(ChunkFields.Source, SearchFieldDataType.String) { IsFilterable = true },
            new SimpleField(ChunkFields.SourceFolders, SearchFieldDataType.Collection(SearchFieldDataType.String)) { IsFilterable = true },
            new SimpleField(ChunkFields.Page, SearchFieldDataType.Int32),
            new SimpleField(ChunkFields.LastPage, SearchFieldDataType.Int32),
            new SimpleField(ChunkFields.Groups, SearchFieldDataType.Collection(SearchFieldDataType.String)) { IsFilterable = true },
            new SimpleField(ChunkFields.ContentHash, SearchFieldDataType.String) { IsFilterable = true },

            // Retrievable, so that every hit's exact cosine similarity is computed from its vector.
            new VectorSearchField(ChunkFields.Embedding, dimensions, ChunkFields.VectorProfile) { IsHidden = false },
        },
        VectorSearch = new VectorSearch
        {
            Algorithms =
            {
                new HnswAlgorithmConfiguration(ChunkFields.VectorAlgorithm)
                {
                    Parameters = new HnswParameters
                    {
                        Metric = VectorSearchAlgorithmMetric.Cosine,
                        M = options.HnswM,
                        EfConstruction = options.HnswEfConstruction,
                        EfSearch = options.HnswEfSearch,
                    },
                },
            },
            Profiles = { new VectorSearchProfile(ChunkFields.VectorProfile, ChunkFields.VectorAlgorithm) },
        },
        SemanticSearch = new SemanticSearch
        {
            Configurations =
            {
                new SemanticConfiguration(
                    options.SemanticConfiguration,
                    new SemanticPrioritizedFields
                    {
                        TitleField = new SemanticField(ChunkFields.Section),
                        ContentFields = { new SemanticField(ChunkFields.Content) },
                    }),
            },
        },
    };
}
