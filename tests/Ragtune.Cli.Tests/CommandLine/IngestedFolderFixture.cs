using Ragtune.Testing;

namespace Ragtune.Cli.Tests.CommandLine;

/// <summary>
/// A temp folder of two good documents, an empty text file, a PDF of random bytes and a file of an unsupported type,
/// ingested once with <c>ragtune ingest</c> into a temp data folder.
/// </summary>
public sealed class IngestedFolderFixture : IAsyncLifetime
{
    public TempDirectory Documents { get; } = new();

    public TempDirectory Data { get; } = new();

    /// <summary>The first <c>ragtune ingest</c> of the folder.</summary>
    public CommandRun Ingest { get; private set; } = new(-1, string.Empty);

    public async Task InitializeAsync()
    {
        Documents.WriteFile("warranty.md", "# Warranty\n\nThe Quillfeather e-bike frame carries a warranty of eleven years from the date of purchase. The battery is covered for three years or 800 charge cycles, whichever comes first.\n");
        Documents.WriteFile("service/intervals.txt", "Service intervals\n\nA Quillfeather e-bike needs its first service after 500 kilometres. After that, bring it in every 2,000 kilometres or once a year.\n");
        Documents.WriteFile("empty.txt", []);
        var random = new byte[4096];
        new Random(20261127).NextBytes(random);
        Documents.WriteFile("scan.pdf", random);
        Documents.WriteFile("photo.xyz", [1, 2, 3]);

        Ingest = await RagtuneCommand.RunAsync("ingest", Documents.Path, "--data", Data.Path);
    }

    public Task DisposeAsync()
    {
        Documents.Dispose();
        Data.Dispose();
        return Task.CompletedTask;
    }
}
